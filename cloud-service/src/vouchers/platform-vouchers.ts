// Platform vouchers for a store's hub: prepare (what a Meituan or Douyin code buys), consume
// exactly once per request id, undo inside the platform's window, and the day's consumptions as
// the platform lists them, for reconciliation. It owns the cloud's records of what it asked the
// platforms (CLOUD_DBS.vouchers): a consume request (`consume:`), written before the platform is
// asked, so an answer lost on the way (a time-out, a crash) is asked again with the same platform
// key and can never become a second consumption; and each consumption (`consumption:`) with its
// undo. The hub's records stay the hub's: this never writes a store's database, and never takes a
// store from anything but the proved hub.
import { createHash } from 'node:crypto';
import {
  CLOUD_DBS,
  DomainError,
  instantAt,
  nextLocalDate,
  voucherHashOf,
  type Clock,
  type LocalDate,
  type PlatformConsumeRequest,
  type PlatformConsumption,
  type PlatformConsumptionListItem,
  type PlatformPrepareRequest,
  type PlatformUndoRequest,
  type PlatformUndone,
  type PlatformVoucherPrepared,
  type VoucherPlatform,
} from '@roomhub/shared-types';
import { isConflict, type CouchClient, type CouchDoc } from '../couch';
import type { StoreZones, ZonedFormat } from '../stores/store-zones';
import type { PlatformGrants } from './platform-grants';
import type { SealedTokens } from './sealed-tokens';
import { platformError, type ConsumeAttempt, type ConsumedAtPlatform } from './voucher-platform';

/** A consume as the cloud first wrote it, then as it finished. */
interface ConsumeDoc extends CouchDoc {
  type: 'platform_consume';
  storeId: string;
  platform: VoucherPlatform;
  requestId: string;
  /** The code it was for, hashed: the same request id for another code is refused. */
  codeHash: string;
  count: number;
  /** What the prepare said consume needs; a retry uses this one, never a newer prepare's. */
  attempt: ConsumeAttempt;
  /** The platform's idempotency key for this request (Meituan's requestid). */
  key: string;
  state: 'consuming' | 'consumed';
  startedAt: number;
  consumptionId: string | null;
}

interface ConsumptionDoc extends CouchDoc {
  type: 'platform_consumption';
  storeId: string;
  platform: VoucherPlatform;
  requestId: string;
  consumption: ConsumedAtPlatform;
  undoRequestId: string | null;
  undoneAt: number | null;
}

interface PrepareSeal {
  storeId: string;
  platform: VoucherPlatform;
  codeHash: string;
  attempt: ConsumeAttempt;
}

export interface PlatformVoucherServiceDeps {
  couch: CouchClient;
  clock: Clock;
  grants: PlatformGrants;
  sealed: SealedTokens;
  zones: StoreZones;
  /** How long a prepare may be consumed. */
  prepareTtlMs?: number;
}

const hashOf = (text: string) => createHash('sha256').update(text).digest('base64url').slice(0, 32);
const consumeDocId = (storeId: string, platform: VoucherPlatform, requestId: string) =>
  `consume:${storeId}:${platform}:${requestId}`;
const consumptionDocId = (storeId: string, platform: VoucherPlatform, consumptionId: string) =>
  `consumption:${storeId}:${platform}:${consumptionId}`;

export class PlatformVoucherService {
  private readonly prepareTtlMs: number;

  constructor(private readonly d: PlatformVoucherServiceDeps) {
    this.prepareTtlMs = d.prepareTtlMs ?? 30 * 60_000;
  }

  async prepare(storeId: string, req: PlatformPrepareRequest): Promise<PlatformVoucherPrepared> {
    const adapter = this.d.grants.adapter(req.platform);
    const shop = await this.d.grants.shopFor(storeId, req.platform);
    const prepared = await adapter.prepare(shop, req.code);
    const fmt = await this.d.zones.formatFor(storeId);
    const seal: PrepareSeal = {
      storeId,
      platform: req.platform,
      codeHash: hashOf(req.code),
      attempt: prepared.attempt,
    };
    return {
      platform: req.platform,
      maskedCode: prepared.maskedCode,
      platformDealId: prepared.platformDealId,
      title: prepared.title,
      faceValue: prepared.faceValue,
      settleAmount: prepared.settleAmount,
      voucherHash: prepared.voucherCode === null ? null : voucherHashOf(prepared.voucherCode),
      available: prepared.available,
      validUntil: prepared.validUntil === null ? null : fmt(prepared.validUntil),
      prepareToken: this.d.sealed.seal('platform-prepare', seal, this.prepareTtlMs),
    };
  }

  async consume(
    storeId: string,
    req: Required<PlatformConsumeRequest>,
  ): Promise<PlatformConsumption> {
    const { platform, requestId, count } = req;
    const adapter = this.d.grants.adapter(platform);
    const codeHash = hashOf(req.code);
    const id = consumeDocId(storeId, platform, requestId);
    let record = await this.d.couch.get<ConsumeDoc>(CLOUD_DBS.vouchers, id);
    const retry = record !== undefined;
    if (!record) {
      const prepared = this.d.sealed.open<PrepareSeal>('platform-prepare', req.prepareToken);
      if (
        !prepared ||
        prepared.storeId !== storeId ||
        prepared.platform !== platform ||
        prepared.codeHash !== codeHash
      ) {
        throw platformError(platform, 'voucher_not_prepared');
      }
      const fresh: ConsumeDoc = {
        _id: id,
        type: 'platform_consume',
        storeId,
        platform,
        requestId,
        codeHash,
        count,
        attempt: prepared.attempt,
        key: hashOf(`${storeId}:${platform}:${requestId}`),
        state: 'consuming',
        startedAt: this.d.clock.now(),
        consumptionId: null,
      };
      try {
        fresh._rev = await this.d.couch.put(CLOUD_DBS.vouchers, fresh);
        record = fresh;
      } catch (e) {
        // The same request at the same moment (a scanner firing twice): follow the first.
        if (!isConflict(e)) throw e;
        record = (await this.d.couch.get<ConsumeDoc>(CLOUD_DBS.vouchers, id))!;
      }
    }
    if (record.codeHash !== codeHash || record.count !== count) {
      throw new DomainError(
        'conflict',
        'request_id_reused',
        'this request id was used for another voucher or count: make a new one for a new consume',
        'requestId',
      );
    }
    const fmt = await this.d.zones.formatFor(storeId);
    if (record.state === 'consumed' && record.consumptionId) {
      const done = await this.consumptionDoc(storeId, platform, record.consumptionId);
      if (done) return this.consumptionView(done, fmt);
    }

    const shop = await this.d.grants.shopFor(storeId, platform);
    let consumed: ConsumedAtPlatform;
    try {
      consumed = await adapter.consume(shop, record.attempt, {
        key: record.key,
        count,
        ...(retry ? { retryOf: record.startedAt } : {}),
      });
    } catch (e) {
      // A refusal is an answer: nothing was consumed, and the request may be tried afresh. Without
      // an answer the record stays, so the retry asks again with the same key.
      if (e instanceof DomainError && e.code !== 'platform_unavailable') {
        await this.forget(record);
      }
      throw e;
    }
    const done: ConsumptionDoc = {
      _id: consumptionDocId(storeId, platform, consumed.consumptionId),
      type: 'platform_consumption',
      storeId,
      platform,
      requestId,
      consumption: consumed,
      undoRequestId: null,
      undoneAt: null,
    };
    await this.putOnce(done);
    await this.putOnce({ ...record, state: 'consumed', consumptionId: consumed.consumptionId });
    return this.consumptionView(done, fmt);
  }

  async undo(storeId: string, req: PlatformUndoRequest): Promise<PlatformUndone> {
    const { platform, consumptionId } = req;
    const adapter = this.d.grants.adapter(platform);
    const doc = await this.consumptionDoc(storeId, platform, consumptionId);
    if (!doc) throw platformError(platform, 'voucher_not_found').with({ consumptionId });
    const fmt = await this.d.zones.formatFor(storeId);
    if (doc.undoneAt !== null) {
      return { platform, consumptionId, undoneAt: fmt(doc.undoneAt) };
    }
    if (this.d.clock.now() >= doc.consumption.consumedAt + adapter.undoWindowMs) {
      throw platformError(platform, 'undo_window_passed');
    }
    const shop = await this.d.grants.shopFor(storeId, platform);
    await adapter.undo(shop, doc.consumption);
    const undoneAt = this.d.clock.now();
    const written = await this.putOnce({ ...doc, undoRequestId: req.requestId, undoneAt });
    return { platform, consumptionId, undoneAt: fmt(written.undoneAt ?? undoneAt) };
  }

  /** The store's consumptions on one platform in its local day, as the platform lists them. */
  async consumptions(
    storeId: string,
    platform: VoucherPlatform,
    date: LocalDate,
  ): Promise<PlatformConsumptionListItem[]> {
    const adapter = this.d.grants.adapter(platform);
    const shop = await this.d.grants.shopFor(storeId, platform);
    const zone = await this.d.zones.zoneOf(storeId);
    const from = instantAt(date, 0, zone);
    const to = instantAt(nextLocalDate(date), 0, zone);
    const listed = await adapter.consumptions(shop, from, to);
    const fmt = await this.d.zones.formatFor(storeId);
    return listed
      .sort((a, b) => a.consumedAt - b.consumedAt)
      .map(({ undone, ...c }) => ({
        ...this.view(platform, c, adapter.undoWindowMs, fmt),
        undone,
      }));
  }

  private consumptionView(doc: ConsumptionDoc, fmt: ZonedFormat): PlatformConsumption {
    const adapter = this.d.grants.adapter(doc.platform);
    return this.view(doc.platform, doc.consumption, adapter.undoWindowMs, fmt);
  }

  private view(
    platform: VoucherPlatform,
    c: ConsumedAtPlatform,
    undoWindowMs: number,
    fmt: ZonedFormat,
  ): PlatformConsumption {
    return {
      platform,
      consumptionId: c.consumptionId,
      maskedCode: c.maskedCode,
      platformDealId: c.platformDealId,
      title: c.title,
      faceValue: c.faceValue,
      settleAmount: c.settleAmount,
      count: c.count,
      consumedAt: fmt(c.consumedAt),
      undoUntil: undoWindowMs > 0 ? fmt(c.consumedAt + undoWindowMs) : null,
    };
  }

  private consumptionDoc(storeId: string, platform: VoucherPlatform, consumptionId: string) {
    return this.d.couch.get<ConsumptionDoc>(
      CLOUD_DBS.vouchers,
      consumptionDocId(storeId, platform, consumptionId),
    );
  }

  /** Writes a document over the version read; when another write came first, keeps theirs. */
  private async putOnce<T extends CouchDoc>(doc: T): Promise<T> {
    try {
      return { ...doc, _rev: await this.d.couch.put(CLOUD_DBS.vouchers, doc) };
    } catch (e) {
      if (!isConflict(e)) throw e;
      return ((await this.d.couch.get<T>(CLOUD_DBS.vouchers, doc._id)) ?? doc) as T;
    }
  }

  private async forget(record: ConsumeDoc): Promise<void> {
    const current = await this.d.couch.get<ConsumeDoc>(CLOUD_DBS.vouchers, record._id);
    if (!current || current.state !== 'consuming') return;
    await this.d.couch
      .put(CLOUD_DBS.vouchers, { _id: current._id, _rev: current._rev, _deleted: true })
      .catch((e: unknown) => {
        if (!isConflict(e)) throw e;
      });
  }
}
