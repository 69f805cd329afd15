// What a deal's voucher buys, in the customer's words: the room time or session, the days and
// hours it may start, the rooms and how many people; and its refund rules. Pure.
import type { TFunction } from 'i18next';
import type { Entitlement } from '@roomhub/shared-types';

export function entitlementText(t: TFunction, e: Entitlement): string[] {
  const out: string[] = [];
  out.push(
    e.kind === 'session'
      ? t('customer:deals.session', { minutes: e.minutes })
      : e.minutes % 60 === 0
        ? t('customer:deals.hours', { count: e.minutes / 60 })
        : t('customer:deals.minutes', { count: e.minutes }),
  );
  if (e.dayTypes.length) {
    out.push(
      t('customer:deals.days', {
        days: e.dayTypes.map((d) => t(`customer:line.day.${d}`)).join('、'),
      }),
    );
  }
  if (e.bands.length) {
    out.push(
      t('customer:deals.bands', { bands: e.bands.map((b) => `${b.from}–${b.to}`).join('、') }),
    );
  }
  if (e.roomStyles.length) {
    out.push(t('customer:deals.rooms', { rooms: e.roomStyles.join('、') }));
  }
  if (e.maxPartySize !== null) out.push(t('customer:deals.party', { count: e.maxPartySize }));
  return out;
}

export function refundRulesText(
  t: TFunction,
  d: { refundAnyTime: boolean; refundOnExpiry: boolean },
): string {
  return [
    d.refundAnyTime ? t('customer:deals.refundAnyTime') : t('customer:deals.noRefund'),
    ...(d.refundOnExpiry ? [t('customer:deals.refundOnExpiry')] : []),
  ].join(' · ');
}
