// An order's discount lines in the counter's words: what kind of discount (a member's level, by
// name, and its percentage off items) and what it took off, under the order's items.
import type { TFunction } from 'i18next';
import type { OrderDiscountView } from '@roomhub/shared-types';
import { yuan } from '../../components/yuan';

export function orderDiscountText(t: TFunction, d: OrderDiscountView): string {
  const what = t(`cashier:tea.discount.${d.kind}`, { level: d.name, percent: d.percentOff });
  return `${what} -¥${yuan(-d.amount)}`;
}
