// A booking's fee lines in the counter's words: time, extension and overtime lines by their day
// type, band and minutes; any other line by its kind, with the hub's own label beside it for what
// the kind leaves out (a promotion's or a package's name).
import type { TFunction } from 'i18next';
import type { FeeLineView } from '@roomhub/shared-types';

export function feeLineText(t: TFunction, line: FeeLineView): string {
  const kind = t(`cashier:line.${line.kind}`, { defaultValue: line.kind });
  if (TIMED.has(line.kind)) {
    const time = t('cashier:line.time', {
      dayType: t(`common:dayType.${line.dayType}`),
      band: line.band ?? t('cashier:line.baseRate'),
      minutes: line.minutes,
    });
    return line.kind === 'time' ? time : `${kind} · ${time}`;
  }
  return line.label ? `${kind} · ${line.label}` : kind;
}

/** Lines priced by the minute, worded by their day type, band and minutes. */
const TIMED = new Set<FeeLineView['kind']>(['time', 'extension', 'overtime']);
