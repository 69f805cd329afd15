// The group a group deal's buyers fill, one under way per deal: `group:<storeId>:<dealId>` in
// the cloud's `deals` database, with its buyers, its deadline (`groupHours` after its first
// purchase) and whether it filled. Buyers join by a revision-guarded write, so two buyers taking
// the last place at once cannot both take it. The group after it replaces it only once every
// buyer's purchase carries its outcome (group-buying.ts). Owns the `group:` documents; decides
// nothing.
import { z } from 'zod';
import { CLOUD_DBS } from '@roomhub/shared-types';
import { isConflict, type CouchClient, type CouchDoc } from '../couch';

export const DealGroupSchema = z.object({
  _id: z.string().startsWith('group:'),
  _rev: z.string().optional(),
  type: z.literal('deal_group'),
  /** The id of its first purchase. */
  groupId: z.string(),
  storeId: z.string(),
  dealId: z.string(),
  size: z.number().int().min(1),
  members: z.array(z.object({ purchaseId: z.string(), customerId: z.string() })),
  startedAt: z.string(),
  deadline: z.string(),
  /** `open` while it may still fill; `filled` and `unfilled` are over. */
  state: z.enum(['open', 'filled', 'unfilled']),
});
export type DealGroup = z.infer<typeof DealGroupSchema>;

export const groupDocId = (storeId: string, dealId: string) => `group:${storeId}:${dealId}`;

/** Whether a group is over at `nowMs`: filled, or its deadline passed. */
export function groupOver(g: DealGroup, nowMs: number): 'filled' | 'unfilled' | null {
  if (g.state === 'filled' || g.members.length >= g.size) return 'filled';
  if (g.state === 'unfilled' || nowMs >= Date.parse(g.deadline)) return 'unfilled';
  return null;
}

export class DealGroups {
  constructor(private readonly couch: CouchClient) {}

  async current(storeId: string, dealId: string): Promise<DealGroup | undefined> {
    const parsed = DealGroupSchema.safeParse(
      await this.couch.get(CLOUD_DBS.deals, groupDocId(storeId, dealId)),
    );
    return parsed.success ? parsed.data : undefined;
  }

  /** Writes the deal's group over the one read (`_rev`); false when someone wrote it first. */
  async write(group: DealGroup): Promise<boolean> {
    try {
      await this.couch.put(CLOUD_DBS.deals, group as CouchDoc);
      return true;
    } catch (error) {
      if (!isConflict(error)) throw error;
      return false;
    }
  }
}
