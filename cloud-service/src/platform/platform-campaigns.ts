// The platform's campaigns and banners on the customer's home page (P2): placed, changed and taken
// down by the platform's content staff (`campaign:<id>` in `registry`, through the platform's
// credential, each change audited), and read by every cloud instance for the customer's stores
// page: those running now, in their order. Owns campaigns; never a store's own offers.
import {
  DomainError,
  REGISTRY_DB,
  type PlatformCampaignView,
  type Clock,
} from '@roomhub/shared-types';
import { z } from 'zod';
import type { CouchClient } from '../couch';
import type { PlatformAudit } from './platform-audit';
import type { PlatformCaller } from './platform-auth';
import { platformWriter, type PlatformStore } from './platform-store';

const campaignId = (id: string) => `campaign:${id}`;

const CampaignDocSchema = z.object({
  _id: z.string(),
  _rev: z.string().optional(),
  type: z.literal('platform_campaign'),
  campaignId: z.string(),
  title: z.string(),
  text: z.string(),
  imageUrl: z.string().nullable(),
  link: z.string().nullable(),
  startsAt: z.string(),
  endsAt: z.string(),
  sort: z.number(),
  removed: z.boolean(),
});
type CampaignDoc = z.infer<typeof CampaignDocSchema>;

const view = (d: CampaignDoc, now: number): PlatformCampaignView => ({
  campaignId: d.campaignId,
  title: d.title,
  text: d.text,
  imageUrl: d.imageUrl,
  link: d.link,
  startsAt: d.startsAt,
  endsAt: d.endsAt,
  sort: d.sort,
  running: Date.parse(d.startsAt) <= now && now < Date.parse(d.endsAt),
});

export class PlatformCampaigns {
  constructor(private readonly d: { store: PlatformStore; audit: PlatformAudit; clock: Clock }) {}

  private async docs(couch: CouchClient): Promise<CampaignDoc[]> {
    return (await couch.byPrefix(REGISTRY_DB, 'campaign:')).flatMap((raw) => {
      const p = CampaignDocSchema.safeParse(raw);
      return p.success && !p.data.removed ? [p.data] : [];
    });
  }

  /** Every campaign not taken down, past and future ones too, in their order. */
  async all(): Promise<PlatformCampaignView[]> {
    return (await this.docs(this.d.store.read))
      .sort((a, b) => a.sort - b.sort || a.startsAt.localeCompare(b.startsAt))
      .map((d) => view(d, this.d.clock.now()));
  }

  /** What customers see now. */
  async running(): Promise<PlatformCampaignView[]> {
    return (await this.all()).filter((c) => c.running);
  }

  async put(
    caller: PlatformCaller,
    id: string,
    body: {
      title: string;
      text: string;
      imageUrl?: string | undefined;
      link?: string | undefined;
      startsAt: string;
      endsAt: string;
      sort: number;
      reason: string;
    },
  ): Promise<PlatformCampaignView> {
    const writer = platformWriter(this.d.store);
    const current = await writer.get(REGISTRY_DB, campaignId(id));
    const doc: CampaignDoc = {
      _id: campaignId(id),
      ...(current?._rev ? { _rev: current._rev } : {}),
      type: 'platform_campaign',
      campaignId: id,
      title: body.title,
      text: body.text,
      imageUrl: body.imageUrl ?? null,
      link: body.link ?? null,
      startsAt: new Date(body.startsAt).toISOString(),
      endsAt: new Date(body.endsAt).toISOString(),
      sort: body.sort,
      removed: false,
    };
    await writer.put(REGISTRY_DB, doc);
    await this.d.audit.record(writer, {
      actor: caller.phone,
      action: 'campaign.set',
      target: `campaign:${id}`,
      reason: body.reason,
      detail: { title: body.title, startsAt: doc.startsAt, endsAt: doc.endsAt },
    });
    return view(doc, this.d.clock.now());
  }

  async remove(caller: PlatformCaller, id: string, reason: string): Promise<{ removed: true }> {
    const writer = platformWriter(this.d.store);
    const current = CampaignDocSchema.safeParse(await writer.get(REGISTRY_DB, campaignId(id)));
    if (!current.success || current.data.removed) {
      throw new DomainError(
        'not_found',
        'campaign_not_found',
        `campaignId: no campaign ${id}`,
        'campaignId',
      );
    }
    await writer.put(REGISTRY_DB, { ...current.data, removed: true });
    await this.d.audit.record(writer, {
      actor: caller.phone,
      action: 'campaign.remove',
      target: `campaign:${id}`,
      reason,
    });
    return { removed: true };
  }
}
