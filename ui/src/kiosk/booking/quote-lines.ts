// A quote's lines in the customer's words: the hub's own labels are for staff and logs, so each
// line is worded here from its kind, day type, band and minutes, in the screen's language.
import type { TFunction } from 'i18next';
import type { FeeLineView } from '@roomhub/shared-types';

/** `packageName`: the name of the package the quote is for, when it is one. */
export function lineText(t: TFunction, line: FeeLineView, packageName: string | null): string {
  switch (line.kind) {
    case 'time':
      return t('kiosk:line.time', {
        dayType: t(`common:dayType.${line.dayType}`),
        band: line.band ?? t('kiosk:line.baseRate'),
        minutes: line.minutes,
      });
    case 'package':
      return t('kiosk:line.package', { name: packageName ?? line.label.split(' · ')[0] });
    case 'season':
      return t('kiosk:line.season', { name: line.season ?? '' });
    case 'promotion':
    case 'member':
    case 'coupon':
    case 'points':
    case 'deal':
      return t(`kiosk:line.${line.kind}`);
    default:
      return t('kiosk:line.other');
  }
}
