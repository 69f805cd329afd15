// The platform's customers (P3): finding a customer by phone or id, what they did (sign-ins, the
// stores holding their bookings, their appeals), freezing and unfreezing with a reason, and
// appeals, which the customer sends and reads back with a code texted to their phone. A freeze
// is `frozen:<customerId>` in `registry`, written through the platform's credential; every cloud
// instance reads it when a customer signs in and on every customer call, so a frozen customer
// can neither sign in nor write an intent. Sign-ins are noted in `auth`
// (`signin:<customerId>:<instant>`), profile edits in `customers` (account/profile-edits.ts), and appeals in `customers` (`appeal:<customerId>:<instant>`),
// both the cloud's own databases, since a frozen customer has no platform to write through.
// Owns freezes, sign-in notes and appeals; never a customer's bookings or money.
import { randomUUID } from 'node:crypto';
import {
  CLOUD_DBS,
  DomainError,
  REGISTRY_DB,
  customerIdForPhone,
  type Clock,
  type CustomerAppealView,
  type PlatformAppealView,
  type PlatformUserView,
} from '@roomhub/shared-types';
import { z } from 'zod';
import { profileEditsOf } from '../account/profile-edits';
import type { SmsCodes } from '../auth/sms';
import type { PlatformAudit } from './platform-audit';
import type { PlatformCaller } from './platform-auth';
import { platformWriter, type PlatformStore } from './platform-store';

export const frozenId = (customerId: string) => `frozen:${customerId}`;

export const FrozenDocSchema = z.object({
  _id: z.string(),
  _rev: z.string().optional(),
  type: z.literal('platform_freeze'),
  customerId: z.string(),
  phone: z.string().nullable(),
  frozen: z.boolean(),
  reason: z.string(),
  at: z.string(),
  by: z.string(),
});

const AppealDocSchema = z.object({
  _id: z.string(),
  _rev: z.string().optional(),
  type: z.literal('customer_appeal'),
  customerId: z.string(),
  phone: z.string(),
  text: z.string(),
  at: z.string(),
  status: z.enum(['open', 'upheld', 'rejected']),
  answer: z.string().nullable(),
  answeredBy: z.string().nullable(),
});
type AppealDoc = z.infer<typeof AppealDocSchema>;

const appealView = (d: AppealDoc): PlatformAppealView => ({
  appealId: d._id,
  customerId: d.customerId,
  phone: d.phone,
  text: d.text,
  at: d.at,
  status: d.status,
  answer: d.answer,
});

export interface PlatformUsersDeps {
  store: PlatformStore;
  audit: PlatformAudit;
  smsCodes: SmsCodes;
  customerIdKey: string;
  clock: Clock;
}

export class PlatformUsers {
  constructor(private readonly d: PlatformUsersDeps) {}

  /** Why the customer is frozen, or undefined: read on every sign-in and customer call. */
  async frozenReason(customerId: string): Promise<string | undefined> {
    const doc = FrozenDocSchema.safeParse(
      await this.d.store.read.get(REGISTRY_DB, frozenId(customerId)),
    );
    return doc.success && doc.data.frozen ? doc.data.reason : undefined;
  }

  /** Notes a sign-in (never failing it). */
  async signedIn(customerId: string, via: 'sms' | 'wechat'): Promise<void> {
    const at = new Date(this.d.clock.now()).toISOString();
    await this.d.store.read.put(CLOUD_DBS.auth, {
      _id: `signin:${customerId}:${at}:${randomUUID().slice(0, 8)}`,
      type: 'customer_sign_in',
      customerId,
      via,
      at,
    });
  }

  async find(q: { phone?: string; customerId?: string }): Promise<PlatformUserView> {
    const customerId = q.customerId ?? customerIdForPhone(q.phone!, this.d.customerIdKey);
    const read = this.d.store.read;
    const [freeze, pairs, signIns, appeals, profileEdits] = await Promise.all([
      read.get(REGISTRY_DB, frozenId(customerId)),
      read.byPrefix(CLOUD_DBS.customers, `customer:${customerId}:`),
      read.byPrefix(CLOUD_DBS.auth, `signin:${customerId}:`),
      this.appealsOf(customerId),
      profileEditsOf(read, customerId),
    ]);
    const f = FrozenDocSchema.safeParse(freeze);
    const phone = q.phone ?? (f.success ? f.data.phone : null) ?? appeals[0]?.phone ?? null;
    return {
      customerId,
      phone,
      frozen:
        f.success && f.data.frozen ? { reason: f.data.reason, at: f.data.at, by: f.data.by } : null,
      stores: pairs.flatMap((p) => (typeof p.storeId === 'string' ? [p.storeId] : [])),
      signIns: signIns
        .reverse()
        .slice(0, 50)
        .map((s) => ({ at: String(s.at), via: s.via === 'wechat' ? 'wechat' : 'sms' })),
      profileEdits,
      appeals,
    };
  }

  async freeze(
    caller: PlatformCaller,
    customerId: string,
    body: { frozen: boolean; reason: string; phone?: string },
  ): Promise<PlatformUserView> {
    const writer = platformWriter(this.d.store);
    const current = FrozenDocSchema.safeParse(await writer.get(REGISTRY_DB, frozenId(customerId)));
    await writer.put(REGISTRY_DB, {
      _id: frozenId(customerId),
      ...(current.success && current.data._rev ? { _rev: current.data._rev } : {}),
      type: 'platform_freeze',
      customerId,
      phone: body.phone ?? (current.success ? current.data.phone : null),
      frozen: body.frozen,
      reason: body.reason,
      at: new Date(this.d.clock.now()).toISOString(),
      by: caller.phone,
    });
    await this.d.audit.record(writer, {
      actor: caller.phone,
      action: body.frozen ? 'customer.freeze' : 'customer.unfreeze',
      target: `customer:${customerId}`,
      reason: body.reason,
    });
    return this.find({ customerId, ...(body.phone ? { phone: body.phone } : {}) });
  }

  /** A customer's appeal, proved by a code texted to their phone (they cannot sign in). */
  async appeal(phone: string, code: string, text: string): Promise<PlatformAppealView> {
    if (!(await this.d.smsCodes.verify(phone, code))) {
      throw new DomainError(
        'unauthenticated',
        'invalid_code',
        'the code is wrong or has expired',
        'code',
      );
    }
    const customerId = customerIdForPhone(phone, this.d.customerIdKey);
    const at = new Date(this.d.clock.now()).toISOString();
    const doc: AppealDoc = {
      _id: `appeal:${customerId}:${at}`,
      type: 'customer_appeal',
      customerId,
      phone,
      text,
      at,
      status: 'open',
      answer: null,
      answeredBy: null,
    };
    await this.d.store.read.put(CLOUD_DBS.customers, doc);
    return appealView(doc);
  }

  /** The customer's own appeals, newest first, proved by a code texted to their phone. */
  async appealsFor(phone: string, code: string): Promise<CustomerAppealView[]> {
    if (!(await this.d.smsCodes.verify(phone, code))) {
      throw new DomainError(
        'unauthenticated',
        'invalid_code',
        'the code is wrong or has expired',
        'code',
      );
    }
    const appeals = await this.appealsOf(customerIdForPhone(phone, this.d.customerIdKey));
    return appeals.map(({ appealId, text, at, status, answer }) => ({
      appealId,
      text,
      at,
      status,
      answer,
    }));
  }

  /** Open appeals first, newest first. */
  async appeals(): Promise<PlatformAppealView[]> {
    const all = (await this.d.store.read.byPrefix(CLOUD_DBS.customers, 'appeal:')).flatMap(
      (raw) => {
        const d = AppealDocSchema.safeParse(raw);
        return d.success ? [appealView(d.data)] : [];
      },
    );
    return all.sort(
      (a, b) =>
        Number(b.status === 'open') - Number(a.status === 'open') || b.at.localeCompare(a.at),
    );
  }

  /** Upholding an appeal unfreezes the customer; either way the answer is kept and audited. */
  async answer(
    caller: PlatformCaller,
    appealId: string,
    body: { decision: 'uphold' | 'reject'; answer: string },
  ): Promise<PlatformAppealView> {
    const writer = platformWriter(this.d.store);
    // Appeals are the cloud's own documents (its user writes `customers`); the answer too.
    const cloud = this.d.store.read;
    const found = AppealDocSchema.safeParse(await cloud.get(CLOUD_DBS.customers, appealId));
    if (!found.success) {
      throw new DomainError(
        'not_found',
        'appeal_not_found',
        `appealId: no appeal ${appealId}`,
        'appealId',
      );
    }
    if (found.data.status !== 'open') {
      throw new DomainError(
        'conflict',
        'appeal_answered',
        'appealId: this appeal was answered already',
        'appealId',
      );
    }
    const next: AppealDoc = {
      ...found.data,
      status: body.decision === 'uphold' ? 'upheld' : 'rejected',
      answer: body.answer,
      answeredBy: caller.phone,
    };
    await cloud.put(CLOUD_DBS.customers, next);
    await this.d.audit.record(writer, {
      actor: caller.phone,
      action: `appeal.${body.decision}`,
      target: `customer:${next.customerId}`,
      reason: body.answer,
    });
    if (body.decision === 'uphold' && (await this.frozenReason(next.customerId))) {
      await this.freeze(caller, next.customerId, {
        frozen: false,
        reason: `appeal upheld: ${body.answer}`,
        phone: next.phone,
      });
    }
    return appealView(next);
  }

  private async appealsOf(customerId: string): Promise<PlatformAppealView[]> {
    const docs = await this.d.store.read.byPrefix(CLOUD_DBS.customers, `appeal:${customerId}:`);
    return docs
      .flatMap((raw) => {
        const d = AppealDocSchema.safeParse(raw);
        return d.success ? [appealView(d.data)] : [];
      })
      .reverse();
  }
}

/** The customer calls' answer for a frozen account, in words. */
export const frozenError = (reason: string) =>
  new DomainError(
    'forbidden',
    'account_frozen',
    `this account is frozen by the platform (${reason}); you can appeal with POST /api/appeals`,
  ).with({ reason });

/** What the sign-in needs of the platform: is this customer frozen, and note a sign-in. */
export interface CustomerFreezes {
  frozenReason(customerId: string): Promise<string | undefined>;
  signedIn(customerId: string, via: 'sms' | 'wechat'): Promise<void>;
}
