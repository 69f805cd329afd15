// A refusal the hub answers, as one sentence for the owner: the dashboard's own words for what it
// meets (with the store's reason when it refused a change sent from afar), then the screens'
// shared ones, and otherwise the general sentence with the hub's code.
import type { TFunction } from 'i18next';
import { HubRefusal } from '../api/hub-client';
import { refusalKey } from '../components/refusal';

/**
 * How a hub words an intent it does not know (its schema's refusal): a kind of change, or a field
 * of one, added in a later version.
 */
const OLDER_HUB = /^invalid intent: (kind\b|.*Unrecognized key)/;

export function ownerRefusal(t: TFunction, e: unknown): string {
  const key = refusalKey(e);
  const field = e instanceof HubRefusal ? e.field : undefined;
  if (key === 'invalid_input' && field) return t('owner:errors.invalid_field', { field });
  // An owner's change from afar the store said no to: the cloud passes on the store's own words.
  if ((key === 'rejected' || key === 'refused') && e instanceof HubRefusal && e.message) {
    // A store running an older version does not know this kind of change at all.
    if (OLDER_HUB.test(e.message)) return t('owner:errors.olderHub');
    return t('owner:errors.rejected', { reason: e.message });
  }
  return t(`owner:errors.${key}`, {
    defaultValue: t(`errors:${key}`, { defaultValue: t('owner:errors.fallback', { code: key }) }),
  });
}
