// The platform's campaigns and banners on the customer's home page (P2), as the console, the
// customer's page and the cloud agree. Pure.
import { z } from 'zod';
import { IsoInstantSchema } from '../time/instant';
import { PlatformReasonSchema } from './platform-staff';

export const PlatformCampaignParamsSchema = z.object({
  campaignId: z.string().regex(/^[a-z0-9-]{3,40}$/, 'must be 3-40 lower-case letters, digits or -'),
});

export const PlatformCampaignBodySchema = z
  .object({
    title: z.string().trim().min(2).max(30),
    text: z.string().trim().max(120).default(''),
    /** An https image, or one of the cloud's own paths. */
    imageUrl: z
      .string()
      .regex(/^(https:\/\/|\/)\S+$/, 'must be an https address or a path on this site')
      .max(500)
      .optional(),
    /** Where a tap goes: a page of the customer's pages (/h5/...) or an https address. */
    link: z
      .string()
      .regex(/^(https:\/\/|\/h5\/)\S*$/, 'must be an https address or a /h5/ page')
      .max(500)
      .optional(),
    startsAt: IsoInstantSchema,
    endsAt: IsoInstantSchema,
    /** Smaller first. */
    sort: z.number().int().min(0).max(999).default(100),
    reason: PlatformReasonSchema,
  })
  .refine((c) => Date.parse(c.endsAt) > Date.parse(c.startsAt), {
    message: 'must be after startsAt',
    path: ['endsAt'],
  });

export const PlatformCampaignRemoveBodySchema = z.object({ reason: PlatformReasonSchema });

export interface PlatformCampaignView {
  campaignId: string;
  title: string;
  text: string;
  imageUrl: string | null;
  link: string | null;
  startsAt: string;
  endsAt: string;
  sort: number;
  /** Showing to customers now, by the cloud's clock. */
  running: boolean;
}
