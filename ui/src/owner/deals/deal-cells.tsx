// How a deal reads in a table, at the store and from afar alike: what it buys, its price, its
// rules, and the colours of its source and status.
import type { TFunction } from 'i18next';
import type { DealView } from '@roomhub/shared-types';
import { yuan } from '../../components/yuan';

type Deal = Pick<
  DealView,
  | 'entitlement'
  | 'source'
  | 'price'
  | 'originalPrice'
  | 'groupSize'
  | 'groupHours'
  | 'validDays'
  | 'perCustomerLimit'
  | 'refundAnyTime'
  | 'refundOnExpiry'
>;

export const SOURCE_COLOUR: Record<string, string> = {
  own: 'green',
  meituan: 'gold',
  douyin: 'magenta',
};
export const STATUS_COLOUR: Record<string, string> = {
  draft: 'default',
  on_sale: 'green',
  off_sale: 'red',
};

/** What the deal buys: hours or a package, its rooms (by `roomName`), days, bands and party. */
export function dealBuys(t: TFunction, d: Deal, roomName: (id: string) => string): string {
  const e = d.entitlement;
  const parts = [
    e.kind === 'session'
      ? t('deals.buysSession', { pkg: e.packageId })
      : t('deals.buysHours', { hours: e.minutes / 60 }),
  ];
  if (e.roomIds.length) parts.push(e.roomIds.map(roomName).join('、'));
  if (e.roomStyles.length) parts.push(e.roomStyles.join('、'));
  if (e.dayTypes.length) parts.push(e.dayTypes.map((x) => t(`deals.dayTypes.${x}`)).join('、'));
  if (e.bands.length) parts.push(e.bands.map((b) => `${b.from}-${b.to}`).join('、'));
  if (e.maxPartySize) parts.push(t('deals.upTo', { n: e.maxPartySize }));
  return parts.join(' · ');
}

/** Its price and the price it is compared with; a platform's deal is priced on the platform. */
export function DealPrice({ t, d }: { t: TFunction; d: Deal }) {
  return d.source === 'own' ? (
    <span>
      ¥{yuan(d.price)}
      {d.originalPrice !== null && <s className="muted"> ¥{yuan(d.originalPrice)}</s>}
    </span>
  ) : (
    <span className="muted">{t('deals.platformPrice')}</span>
  );
}

/** Its group, validity, limit and refund rules in one line. */
export function dealRules(t: TFunction, d: Deal): string {
  return [
    d.groupSize > 1 ? t('deals.groupOf', { n: d.groupSize, h: d.groupHours }) : '',
    t('deals.validFor', { n: d.validDays }),
    d.perCustomerLimit ? t('deals.limitOf', { n: d.perCustomerLimit }) : '',
    d.refundAnyTime ? t('deals.refundAnyTime') : '',
    d.refundOnExpiry ? t('deals.refundOnExpiry') : '',
  ]
    .filter(Boolean)
    .join(' · ');
}
