// Which stores an owner runs, by the owner's phone, as the platform's admin provisioned it:
// `owner:<phone>` in `registry`, beside the stores. The admin alone writes the registry, so a
// cloud instance can read who runs a store but can never give an owner a store; the owner signs
// in with a code texted to that phone. Owns these links; never a password, never a store's data.
import { REGISTRY_DB, StoreIdSchema } from '@roomhub/shared-types';
import { z } from 'zod';
import { isConflict, type CouchClient } from '../couch';
import { provisionedStores } from '../stores/registry';
import { OwnerPhoneSchema } from './owners';

const OwnerLinkDocSchema = z.object({
  _id: z.string(),
  _rev: z.string().optional(),
  type: z.literal('owner_link'),
  phone: OwnerPhoneSchema,
  storeIds: z.array(StoreIdSchema),
  updatedAt: z.string(),
});

export interface OwnerLink {
  phone: string;
  storeIds: string[];
}

const linkId = (phone: string) => `owner:${phone}`;

/** The stores the admin linked to `phone`; [] when none. Read as the cloud or the admin. */
export async function linkedStores(couch: CouchClient, phone: string): Promise<string[]> {
  const parsed = OwnerLinkDocSchema.safeParse(await couch.get(REGISTRY_DB, linkId(phone)));
  return parsed.success && parsed.data.phone === phone ? parsed.data.storeIds : [];
}

/** Every owner link, in phone order. */
export async function ownerLinks(couch: CouchClient): Promise<OwnerLink[]> {
  return (await couch.byPrefix(REGISTRY_DB, 'owner:')).flatMap((doc) => {
    const parsed = OwnerLinkDocSchema.safeParse(doc);
    return parsed.success && parsed.data._id === linkId(parsed.data.phone)
      ? [{ phone: parsed.data.phone, storeIds: parsed.data.storeIds }]
      : [];
  });
}

/**
 * Links (`add`) or unlinks (`remove`) stores to the owner's phone, as the admin; the owner's
 * stores afterwards. Only provisioned stores can be linked: a typo must not wait for a store.
 */
export async function changeOwnerLink(
  adminCouch: CouchClient,
  input: { phone: string; add?: string[]; remove?: string[] },
  now: number,
): Promise<OwnerLink> {
  const checked = OwnerPhoneSchema.safeParse(input.phone);
  if (!checked.success) throw new Error(`phone ${input.phone}: must be an 11-digit mobile number`);
  const phone = checked.data;
  const add = (input.add ?? []).map((s) => StoreIdSchema.parse(s));
  const remove = new Set((input.remove ?? []).map((s) => StoreIdSchema.parse(s)));
  if (add.length > 0) {
    const known = new Set(await provisionedStores(adminCouch));
    const unknown = add.filter((s) => !known.has(s));
    if (unknown.length > 0) {
      throw new Error(
        `not provisioned: ${unknown.join(', ')} (npm run provision -w @roomhub/cloud-service -- --store <storeId>)`,
      );
    }
  }
  // A revision race (two admins at once) is read again and applied again.
  for (let race = 0; race < 5; race += 1) {
    const current = OwnerLinkDocSchema.safeParse(await adminCouch.get(REGISTRY_DB, linkId(phone)));
    const before = current.success ? current.data.storeIds : [];
    const storeIds = [...new Set([...before, ...add])].filter((s) => !remove.has(s)).sort();
    try {
      await adminCouch.put(REGISTRY_DB, {
        _id: linkId(phone),
        ...(current.success && current.data._rev ? { _rev: current.data._rev } : {}),
        type: 'owner_link',
        phone,
        storeIds,
        updatedAt: new Date(now).toISOString(),
      });
      return { phone, storeIds };
    } catch (error) {
      if (!isConflict(error)) throw error;
    }
  }
  throw new Error('the owner link kept changing under this command; run it again');
}
