// Merchant onboarding (P1): a would-be owner, signed in by SMS, fills in an application (the
// merchant's name, a contact phone, its stores), uploads the business licence and the health and
// fire permits (the kinds and sizes the platform's upload settings allow, checked by their first
// bytes), and submits it; a merchant admin approves it, giving each store its id (the owner's
// phone is linked to the stores already provisioned, as `npm run owner` does, and to the rest
// once provisioned), or sends it back with reasons to fix and submit again. Applications and documents are the cloud's
// own (`owners`), kept per applicant: an applicant reads only their own. The owner links and the
// merchant record are the registry's, written through the platform's credential. Owns
// applications, their documents and the decision; never provisions a store.

import {
  CLOUD_DBS,
  DEFAULT_PLATFORM_SETTINGS,
  DomainError,
  MERCHANT_DOCUMENT_KINDS,
  REGISTRY_DB,
  merchantRating,
  type ReviewTally,
  type Clock,
  type MerchantApplicationStatus,
  type MerchantApplicationView,
  type MerchantDocumentKind,
  type MerchantView,
  type PlatformSettings,
} from '@roomhub/shared-types';
import { z } from 'zod';
import { changeOwnerLink } from '../auth/owner-links';
import { complaintsOf } from '../chat/complaint-records';
import { isConflict } from '../couch';
import type { DesignDocs } from '../design-docs';
import { provisionedStores } from '../stores/registry';
import type { PlatformAudit } from './platform-audit';
import type { PlatformCaller } from './platform-auth';
import { platformWriter, type PlatformStore } from './platform-store';
import { readPenalties } from './penalty-gate';
import { limitId } from './review-gate';

const appId = (id: string) => `merchant_application:${id}`;
const docId = (id: string, kind: MerchantDocumentKind) => `merchant_document:${id}:${kind}`;

const ApplicationDocSchema = z.object({
  _id: z.string(),
  _rev: z.string().optional(),
  type: z.literal('merchant_application'),
  applicationId: z.string(),
  applicantId: z.string(),
  applicantPhone: z.string(),
  merchantName: z.string(),
  contactPhone: z.string(),
  stores: z.array(z.object({ name: z.string(), address: z.string() })),
  documents: z.array(
    z.object({
      kind: z.enum(MERCHANT_DOCUMENT_KINDS),
      type: z.string(),
      bytes: z.number(),
      at: z.string(),
    }),
  ),
  status: z.enum(['draft', 'submitted', 'approved', 'returned']),
  reasons: z.string().nullable(),
  storeIds: z.array(z.string()),
  createdAt: z.string(),
  updatedAt: z.string(),
});
type ApplicationDoc = z.infer<typeof ApplicationDocSchema>;

const view = (d: ApplicationDoc): MerchantApplicationView => ({
  applicationId: d.applicationId,
  applicantPhone: d.applicantPhone,
  merchantName: d.merchantName,
  contactPhone: d.contactPhone,
  stores: d.stores,
  documents: d.documents,
  status: d.status,
  reasons: d.reasons,
  storeIds: d.storeIds,
  createdAt: d.createdAt,
  updatedAt: d.updatedAt,
});

/** The type a file's first bytes show, or undefined when it is none of the accepted ones. */
export function sniffType(bytes: Buffer): string | undefined {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) {
    return 'image/jpeg';
  }
  if (bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) {
    return 'image/png';
  }
  if (
    bytes.subarray(0, 4).toString('latin1') === 'RIFF' &&
    bytes.subarray(8, 12).toString('latin1') === 'WEBP'
  ) {
    return 'image/webp';
  }
  if (bytes.subarray(0, 5).toString('latin1') === '%PDF-') return 'application/pdf';
  return undefined;
}

/** The file type each of the platform's upload kinds is. */
const TYPE_OF: Record<PlatformSettings['uploads']['types'][number], string> = {
  jpg: 'image/jpeg',
  png: 'image/png',
  webp: 'image/webp',
  pdf: 'application/pdf',
};

export interface Applicant {
  customerId: string;
  phone?: string;
}

const notFound = (id: string) =>
  new DomainError(
    'not_found',
    'application_not_found',
    `applicationId: no application ${id} of yours`,
    'applicationId',
  );

export class PlatformMerchants {
  constructor(
    private readonly d: {
      store: PlatformStore;
      audit: PlatformAudit;
      /** The reviews' scores by store (a reduce), for the rating. */
      views: Pick<DesignDocs, 'reviews'>;
      clock: Clock;
      newId: () => string;
    },
  ) {}

  /** The platform's upload settings in force (its system settings); the defaults until set. */
  uploadRules: () => Promise<PlatformSettings['uploads']> = async () =>
    DEFAULT_PLATFORM_SETTINGS.uploads;

  private now = () => new Date(this.d.clock.now()).toISOString();
  private get cloud() {
    return this.d.store.read;
  }

  async create(
    who: Applicant,
    body: {
      merchantName: string;
      contactPhone: string;
      stores: { name: string; address: string }[];
    },
  ): Promise<MerchantApplicationView> {
    if (!who.phone) {
      throw new DomainError(
        'forbidden',
        'phone_required',
        'sign in with your phone (an SMS code) to apply as a merchant',
      );
    }
    const id = this.d.newId().replaceAll('-', '').toLowerCase().slice(0, 32);
    const at = this.now();
    const doc: ApplicationDoc = {
      _id: appId(id),
      type: 'merchant_application',
      applicationId: id,
      applicantId: who.customerId,
      applicantPhone: who.phone,
      ...body,
      documents: [],
      status: 'draft',
      reasons: null,
      storeIds: [],
      createdAt: at,
      updatedAt: at,
    };
    await this.cloud.put(CLOUD_DBS.owners, doc);
    return view(doc);
  }

  /** Changes the details (name, contact phone, stores) while a draft or after a send-back. */
  async edit(
    who: Applicant,
    id: string,
    body: {
      merchantName: string;
      contactPhone: string;
      stores: { name: string; address: string }[];
    },
  ): Promise<MerchantApplicationView> {
    const app = await this.own(who, id);
    if (app.status !== 'draft' && app.status !== 'returned') {
      throw new DomainError(
        'conflict',
        'application_locked',
        `applicationId: the application is ${app.status}; it changes only before it is submitted or after it is sent back`,
        'applicationId',
      );
    }
    const next: ApplicationDoc = { ...app, ...body, updatedAt: this.now() };
    await this.cloud.put(CLOUD_DBS.owners, next);
    return view(next);
  }

  /** The applicant's own applications, newest first. */
  async mine(who: Applicant): Promise<MerchantApplicationView[]> {
    return (await this.all()).filter((a) => a.applicantId === who.customerId).map(view);
  }

  /** The applicant's own application, or a 404 (another's is never shown, nor said to exist). */
  async own(who: Applicant, id: string): Promise<ApplicationDoc> {
    const doc = ApplicationDocSchema.safeParse(await this.cloud.get(CLOUD_DBS.owners, appId(id)));
    if (!doc.success || doc.data.applicantId !== who.customerId) throw notFound(id);
    return doc.data;
  }

  /** Adds or replaces a document, checked by size and by its first bytes. */
  async upload(
    who: Applicant,
    id: string,
    kind: MerchantDocumentKind,
    declared: string | undefined,
    bytes: unknown,
  ): Promise<MerchantApplicationView> {
    const app = await this.own(who, id);
    if (app.status === 'submitted' || app.status === 'approved') {
      throw new DomainError(
        'conflict',
        'application_locked',
        `applicationId: the application is ${app.status}; documents can change only before it is submitted or after it is sent back`,
        'applicationId',
      );
    }
    if (!Buffer.isBuffer(bytes) || bytes.length === 0) {
      throw new DomainError(
        'bad_input',
        'document_missing',
        'body: send the file itself as the body, with its Content-Type (image/jpeg, image/png or application/pdf)',
        'body',
      );
    }
    const type = sniffType(bytes);
    const claimed = (declared ?? '').split(';')[0]!.trim().toLowerCase();
    const rules = await this.uploadRules();
    const allowed = rules.types.map((t) => TYPE_OF[t]);
    if (!type || type !== claimed || !allowed.includes(type)) {
      const names = rules.types.map((t) => t.toUpperCase()).join(', ');
      throw new DomainError(
        'invalid',
        'document_type',
        `body: a document must be one of ${names}, sent with its own Content-Type`,
        'body',
      ).with({ types: names });
    }
    const maxMb = type === 'application/pdf' ? rules.maxDocumentMb : rules.maxImageMb;
    if (bytes.length > maxMb * 1024 * 1024) {
      throw new DomainError(
        'invalid',
        'document_too_large',
        `body: a ${type === 'application/pdf' ? 'PDF' : 'picture'} may be ${maxMb} MB at most`,
        'body',
      ).with({ mb: maxMb });
    }
    const at = this.now();
    const existing = await this.cloud.get(CLOUD_DBS.owners, docId(id, kind));
    await this.cloud.put(CLOUD_DBS.owners, {
      _id: docId(id, kind),
      ...(existing?._rev ? { _rev: existing._rev } : {}),
      type: 'merchant_document',
      applicationId: id,
      kind,
      contentType: type,
      data: bytes.toString('base64'),
      at,
    });
    const next: ApplicationDoc = {
      ...app,
      documents: [
        ...app.documents.filter((d) => d.kind !== kind),
        { kind, type, bytes: bytes.length, at },
      ].sort((a, b) => a.kind.localeCompare(b.kind)),
      updatedAt: at,
    };
    await this.cloud.put(CLOUD_DBS.owners, next);
    return view(next);
  }

  async submit(who: Applicant, id: string): Promise<MerchantApplicationView> {
    const app = await this.own(who, id);
    if (app.status !== 'draft' && app.status !== 'returned') {
      throw new DomainError(
        'conflict',
        'application_locked',
        `applicationId: the application is ${app.status}`,
        'applicationId',
      );
    }
    const missing = MERCHANT_DOCUMENT_KINDS.filter((k) => !app.documents.some((d) => d.kind === k));
    if (missing.length > 0) {
      throw new DomainError(
        'invalid',
        'documents_missing',
        `documents: upload ${missing.join(', ')} before submitting`,
        'documents',
      );
    }
    const next: ApplicationDoc = { ...app, status: 'submitted', updatedAt: this.now() };
    await this.cloud.put(CLOUD_DBS.owners, next);
    return view(next);
  }

  /** A document's file, for its applicant or the platform's merchant staff. */
  async document(
    id: string,
    kind: MerchantDocumentKind,
    who?: Applicant,
  ): Promise<{ type: string; bytes: Buffer }> {
    if (who) await this.own(who, id);
    const doc = await this.cloud.get(CLOUD_DBS.owners, docId(id, kind));
    if (!doc || typeof doc.data !== 'string' || typeof doc.contentType !== 'string') {
      throw new DomainError('not_found', 'document_not_found', `kind: no ${kind} uploaded`, 'kind');
    }
    return { type: doc.contentType, bytes: Buffer.from(doc.data, 'base64') };
  }

  async list(status?: MerchantApplicationStatus): Promise<MerchantApplicationView[]> {
    return (await this.all()).filter((a) => !status || a.status === status).map(view);
  }

  async get(id: string): Promise<MerchantApplicationView> {
    const doc = ApplicationDocSchema.safeParse(await this.cloud.get(CLOUD_DBS.owners, appId(id)));
    if (!doc.success) throw notFound(id);
    return view(doc.data);
  }

  /**
   * Approves (the stores get their ids; the applicant's phone is linked to those provisioned) or
   * sends back with reasons. Only a submitted application is decided.
   */
  async decide(
    caller: PlatformCaller,
    id: string,
    body:
      | { decision: 'approve'; storeIds: string[]; reason: string }
      | { decision: 'return'; reason: string },
  ): Promise<MerchantApplicationView & { linked: string[]; toProvision: string[] }> {
    const writer = platformWriter(this.d.store);
    const found = ApplicationDocSchema.safeParse(await this.cloud.get(CLOUD_DBS.owners, appId(id)));
    if (!found.success) throw notFound(id);
    const app = found.data;
    if (app.status !== 'submitted') {
      throw new DomainError(
        'conflict',
        'not_submitted',
        `applicationId: the application is ${app.status}; only a submitted one is decided`,
        'applicationId',
      );
    }
    let linked: string[] = [];
    let toProvision: string[] = [];
    if (body.decision === 'approve') {
      if (
        body.storeIds.length !== app.stores.length ||
        new Set(body.storeIds).size !== body.storeIds.length
      ) {
        throw new DomainError(
          'bad_input',
          'store_ids',
          `storeIds: give one distinct store id for each of the ${app.stores.length} stores, in order`,
          'storeIds',
        );
      }
      const known = new Set(await provisionedStores(this.cloud));
      linked = body.storeIds.filter((s) => known.has(s));
      toProvision = body.storeIds.filter((s) => !known.has(s));
      await this.putMerchant(writer, app, body.storeIds);
      if (linked.length > 0) {
        await changeOwnerLink(
          writer,
          { phone: app.applicantPhone, add: linked },
          this.d.clock.now(),
        );
      }
    }
    const next: ApplicationDoc = {
      ...app,
      status: body.decision === 'approve' ? 'approved' : 'returned',
      reasons: body.decision === 'return' ? body.reason : null,
      storeIds: body.decision === 'approve' ? body.storeIds : [],
      updatedAt: this.now(),
    };
    await this.cloud.put(CLOUD_DBS.owners, next);
    await this.d.audit.record(writer, {
      actor: caller.phone,
      action: `merchant.${body.decision}`,
      target: `application:${id}`,
      reason: body.reason,
      ...(body.decision === 'approve' ? { detail: { storeIds: body.storeIds, linked } } : {}),
    });
    return { ...view(next), linked, toProvision };
  }

  /** Links an approved merchant's stores provisioned since the approval. */
  async linkProvisioned(
    caller: PlatformCaller,
    id: string,
  ): Promise<{ linked: string[]; toProvision: string[] }> {
    const app = await this.get(id);
    if (app.status !== 'approved') {
      throw new DomainError(
        'conflict',
        'not_approved',
        'applicationId: the application is not approved',
        'applicationId',
      );
    }
    const writer = platformWriter(this.d.store);
    const known = new Set(await provisionedStores(this.cloud));
    const linked = app.storeIds.filter((s) => known.has(s));
    if (linked.length > 0) {
      await changeOwnerLink(writer, { phone: app.applicantPhone, add: linked }, this.d.clock.now());
    }
    await this.d.audit.record(writer, {
      actor: caller.phone,
      action: 'merchant.link_stores',
      target: `application:${id}`,
      reason: 'stores provisioned since the approval',
      detail: { linked },
    });
    return { linked, toProvision: app.storeIds.filter((s) => !known.has(s)) };
  }

  private async putMerchant(
    writer: ReturnType<typeof platformWriter>,
    app: ApplicationDoc,
    storeIds: string[],
  ): Promise<void> {
    const id = `merchant:${app.applicantPhone}`;
    for (let race = 0; ; race += 1) {
      const current = await writer.get(REGISTRY_DB, id);
      const before = Array.isArray(current?.storeIds) ? (current.storeIds as string[]) : [];
      try {
        await writer.put(REGISTRY_DB, {
          _id: id,
          ...(current?._rev ? { _rev: current._rev } : {}),
          type: 'merchant',
          phone: app.applicantPhone,
          name: app.merchantName,
          contactPhone: app.contactPhone,
          storeIds: [...new Set([...before, ...storeIds])].sort(),
          applicationIds: [
            ...new Set([
              ...((current?.applicationIds as string[] | undefined) ?? []),
              app.applicationId,
            ]),
          ],
          approvedAt: this.now(),
        });
        return;
      } catch (error) {
        if (!isConflict(error) || race >= 4) throw error;
      }
    }
  }

  /**
   * The approved merchants, with their stores, suspensions and rating (reviews, complaints,
   * disputes, suspensions and warnings not lifted, by the rule in shared-types'
   * MERCHANT_RATING_RULE).
   */
  async merchants(): Promise<MerchantView[]> {
    const read = this.cloud;
    const [docs, penalties] = await Promise.all([
      read.byPrefix(REGISTRY_DB, 'merchant:'),
      readPenalties(read),
    ]);
    const auditReader = this.d.store.write;
    return Promise.all(
      docs.map(async (m): Promise<MerchantView> => {
        const storeIds = Array.isArray(m.storeIds) ? (m.storeIds as string[]) : [];
        const [scores, limits] = await Promise.all([
          storeIds.length > 0
            ? this.d.views.reviews('score-by-store', {
                keys: storeIds,
                groupLevel: 1,
              })
            : [],
          read.byIds(
            REGISTRY_DB,
            storeIds.map((s) => limitId(s)),
          ),
        ]);
        const suspensions = auditReader
          ? await this.d.audit.countOf(
              auditReader,
              'store.suspend',
              storeIds.map((s) => `store:${s}`),
            )
          : 0;
        const complaints = (await Promise.all(storeIds.map((s) => complaintsOf(read, s)))).flat();
        const warnings = penalties.filter(
          (p) => p.kind === 'warning' && p.merchantPhone === m.phone && !p.lifted,
        ).length;
        return {
          phone: String(m.phone),
          name: String(m.name),
          contactPhone: String(m.contactPhone),
          storeIds,
          suspendedStores: limits.flatMap((l) =>
            l.suspended === true && typeof l.storeId === 'string' ? [l.storeId] : [],
          ),
          approvedAt: String(m.approvedAt),
          rating: merchantRating(tallyOf(scores), complaints, suspensions, warnings),
        };
      }),
    );
  }

  private async all(): Promise<ApplicationDoc[]> {
    const docs = await this.cloud.byPrefix(CLOUD_DBS.owners, 'merchant_application:');
    return docs
      .flatMap((raw) => {
        const d = ApplicationDocSchema.safeParse(raw);
        return d.success ? [d.data] : [];
      })
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  }
}

/** The stores' review tallies (a `_stats` reduce's rows) as one. */
function tallyOf(rows: readonly { value: unknown }[]): ReviewTally {
  let sum = 0;
  let count = 0;
  for (const { value } of rows) {
    const v = value as { sum?: unknown; count?: unknown } | null;
    if (v && typeof v.sum === 'number' && typeof v.count === 'number') {
      sum += v.sum;
      count += v.count;
    }
  }
  return { sum, count };
}
