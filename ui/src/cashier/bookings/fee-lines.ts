// A booking's fee lines in the counter's words: a time line by its day type, band and minutes,
// any other line by its kind, with the hub's own label beside it for what the kind leaves out.
import type { TFunction } from 'i18next';
import type { FeeLineView } from '@roomhub/shared-types';

export function feeLineText(t: TFunction, line: FeeLineView): string {
  if (line.kind === 'time') {
    return t('cashier:line.time', {
      dayType: t(`common:dayType.${line.dayType}`),
      band: line.band ?? t('cashier:line.baseRate'),
      minutes: line.minutes,
    });
  }
  const kind = t(`cashier:line.${line.kind}`, { defaultValue: line.kind });
  return line.label ? `${kind} · ${line.label}` : kind;
}
