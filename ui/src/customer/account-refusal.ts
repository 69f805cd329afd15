// The account pages' refusals in one Chinese sentence: their own codes (a field the cloud refused,
// what stands in the way of deleting the account) first, then the customer pages' words.
import type { TFunction } from 'i18next';
import { CloudRefusal } from '../api/cloud-client';
import { customerRefusal } from './refusal-text';

export function accountRefusal(t: TFunction, e: unknown): string {
  if (e instanceof CloudRefusal) {
    const own =
      e.code === 'invalid_input' && e.field
        ? t(`customer:account.badField.${e.field}`, { defaultValue: '' })
        : t(`customer:account.refusals.${e.code}`, { defaultValue: '' });
    if (own) return own;
  }
  return customerRefusal(t, e);
}
