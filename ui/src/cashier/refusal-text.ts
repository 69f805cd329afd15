// A refusal the hub answers, as one sentence for the person at the counter: the cashier's own
// words for the codes the counter meets, the screens' shared ones after that, and otherwise the
// general sentence with the hub's code, which the owner can look up.
import type { TFunction } from 'i18next';
import { HubRefusal } from '../api/hub-client';
import { refusalKey } from '../components/refusal';

export function counterRefusal(t: TFunction, e: unknown): string {
  const key = refusalKey(e);
  const field = e instanceof HubRefusal ? e.field : undefined;
  if (key === 'invalid_input' && field?.toLowerCase().endsWith('phone')) {
    return t('errors:phone_invalid');
  }
  if (key === 'invalid_input' && field) {
    return t('cashier:errors.invalid_field', { field });
  }
  return t(`cashier:errors.${key}`, {
    defaultValue: t(`errors:${key}`, {
      defaultValue: t('cashier:errors.fallback', { code: key }),
    }),
  });
}
