// A line of a quote in the customer's words: a time line as day type, band and minutes (the
// hub's own label is for staff and in English); any other line by its kind, with the owner's name
// for it (a coupon, a level, a promotion) when the owner wrote one in Chinese.
import type { TFunction } from 'i18next';
import type { FeeLineView } from '@roomhub/shared-types';

const chinese = /[\u4e00-\u9fff]/u;

export function lineText(t: TFunction, line: FeeLineView): string {
  if (line.kind === 'time') {
    return [
      t(`customer:line.day.${line.dayType}`),
      line.band ?? t('customer:line.base'),
      t('customer:line.minutes', { count: line.minutes }),
    ].join(' · ');
  }
  const kind = t(`customer:line.kind.${line.kind}`);
  const name = line.label.split(' · ').find((part) => chinese.test(part));
  return name ? `${kind} · ${name}` : kind;
}
