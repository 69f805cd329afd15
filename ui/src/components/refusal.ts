// Every refusal the hub answers becomes one plain sentence from the errors namespace, saying what
// to do next; a code the screens do not know yet gets the general sentence, never the hub's
// English words.
import type { TFunction } from 'i18next';
import { HubRefusal, UNREACHABLE } from '../api/hub-client';

export function refusalKey(e: unknown): string {
  if (e instanceof HubRefusal) {
    // A field the customer typed (the phone) is named by the rule it broke.
    if (e.code === 'invalid_input' && e.field?.startsWith('customer.phone')) return 'phone_invalid';
    return e.code;
  }
  return UNREACHABLE;
}

export function refusalText(t: TFunction, e: unknown): string {
  const key = refusalKey(e);
  return t(`errors:${key}`, { defaultValue: t('errors:fallback') });
}
