// A local stand-in for Douyin's life-service open platform (抖音来客 团购核销), speaking the protocol
// the Douyin adapter speaks: /oauth/client_token/ for the app (checked against our client key and
// secret; a call with a token it never issued is refused), the merchant's OAuth (connect page,
// /oauth/access_token/, /oauth/refresh_token/), certificate prepare (a code, or the object_id
// behind a voucher's short QR link) -> verify with its verify_token (the same token again answers
// the same verification) -> cancel within the hour, certificate get, and the verify records. Its
// vouchers: good ones, a used one, an expired one, another shop's; a fault can make the next
// verify happen while its answer is lost. Shares no code with the adapter it tests. Never used by
// a real deployment's cloud.
import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type Request, type Response } from 'express';

export interface DouyinSimulatorOptions {
  clientKey: string;
  clientSecret: string;
  clock?: { now(): number };
  host?: string;
  port?: number;
  undoWindowMs?: number;
}

interface Sku {
  skuId: string;
  title: string;
  /** Fen, as this platform answers. */
  marketPrice: number;
  pay: number;
}

interface Certificate {
  id: string;
  code: string;
  encrypted: string;
  orderId: string;
  sku: Sku;
  poiId: string;
  expiresAt: number;
  verification: { verifyId: string; at: number } | null;
}

interface Record_ {
  verifyId: string;
  certificateId: string;
  at: number;
  cancelledAt: number | null;
}

export interface DouyinDemoCodes {
  accountId: string;
  poiId: string;
  poiName: string;
  good: string[];
  /** A short link as the voucher's QR holds it (the scanner reads this text). */
  goodQr: string;
  twoUses: string;
  used: string;
  expired: string;
  otherShop: string;
}

export interface DouyinSimulator {
  url: string;
  demo: DouyinDemoCodes;
  addVoucher(v?: { poiId?: string; expiresAt?: number; uses?: number }): string;
  /** The next verify happens but its answer never arrives (the connection is cut). */
  dropNextVerifyAnswer(): void;
  /** How many times the code's certificate was verified, cancellations not counted. */
  consumptionsOf(code: string): number;
  /** Withdraws the merchant's authorisation of our app (as done in 来客). */
  revoke(accountId: string): void;
  close(): Promise<void>;
}

const ACCOUNT = '7100200300400';
const DEMO_POI = { id: '7200000000001', name: '棋牌室（演示店）' };
const OTHER_POI = { id: '7200000000999', name: '别家棋牌室' };
const SKUS: Sku[] = [
  { skuId: '1790000000001', title: '午后4小时 茶室包间', marketPrice: 12800, pay: 6800 },
  { skuId: '1790000000002', title: '四人麻将 通宵套餐', marketPrice: 19800, pay: 12800 },
];
const DAY = 86_400_000;

const ERR = {
  token: [2190002, 'access_token无效'],
  notAuthorised: [2100004, '无权限执行该操作'],
  notFound: [1201, '券码不存在'],
  expired: [1203, '券码已过期'],
  otherShop: [1205, '券码不适用于该门店'],
  used: [1208, '券码已核销'],
  verifyToken: [1210, 'verify_token 无效或已过期'],
  undoLate: [3000001, '已超过可撤销时限,无法撤销核销'],
  cancelled: [3000002, '该核销记录已撤销'],
  bad: [2100005, '参数不合法'],
} as const;

export async function startDouyinSimulator(o: DouyinSimulatorOptions): Promise<DouyinSimulator> {
  const clock = o.clock ?? { now: () => Date.now() };
  const undoWindowMs = o.undoWindowMs ?? 60 * 60_000;
  const certificates = new Map<string, Certificate>();
  const byEncrypted = new Map<string, Certificate>();
  const records: Record_[] = [];
  const clientTokens = new Map<string, number>();
  const authCodes = new Map<string, { poiId: string; until: number }>();
  const refreshTokens = new Map<string, { poiId: string; until: number }>();
  const verifyTokens = new Map<string, { orderId: string; until: number; answer?: unknown }>();
  const authorised = new Set<string>();
  const shortLinks = new Map<string, string>();
  let dropNext = false;
  let serial = 0;

  const id = (n = 19) => String(BigInt('0x' + randomBytes(8).toString('hex'))).slice(0, n);
  const newOrder = () => `10${id(17)}`;
  const add = (
    code: string,
    v: { poiId?: string; expiresAt?: number; sku?: Sku; orderId?: string },
  ) => {
    const c: Certificate = {
      id: `73${id(17)}`,
      code,
      encrypted: `Cg${randomBytes(18).toString('base64url')}`,
      orderId: v.orderId ?? newOrder(),
      sku: v.sku ?? SKUS[0]!,
      poiId: v.poiId ?? DEMO_POI.id,
      expiresAt: v.expiresAt ?? clock.now() + 90 * DAY,
      verification: null,
    };
    certificates.set(code, c);
    byEncrypted.set(c.encrypted, c);
    return c;
  };
  const good = ['104686100000011', '104686100000012', '104686100000013', '104686100000014'];
  for (const code of good) add(code, {});
  const pair = newOrder();
  add('104686100000021', { orderId: pair, sku: SKUS[1] });
  add('104686100000022', { orderId: pair, sku: SKUS[1] });
  const used = add('104686100000031', {});
  used.verification = { verifyId: `74${id(17)}`, at: clock.now() - 2 * DAY };
  records.push({
    verifyId: used.verification.verifyId,
    certificateId: used.id,
    at: used.verification.at,
    cancelledAt: null,
  });
  add('104686100000041', { expiresAt: clock.now() - DAY });
  add('104686100000051', { poiId: OTHER_POI.id });

  const envelope = (
    res: Response,
    data: object,
    [code, description]: readonly [number, string] = [0, 'success'],
  ) =>
    res.json({
      data: { ...data, error_code: code, description },
      extra: {
        error_code: code,
        description,
        sub_error_code: 0,
        sub_description: '',
        logid: randomBytes(8).toString('hex'),
        now: Math.floor(clock.now() / 1000),
      },
    });
  const fail = (res: Response, e: readonly [number, string]) => envelope(res, {}, e);
  const token = (prefix: string) => `${prefix}.${randomBytes(20).toString('hex')}`;
  const poiOf = (poiId: string) => (poiId === DEMO_POI.id ? DEMO_POI : OTHER_POI);

  /** A life-service call: a client token this platform issued, for a merchant who authorised us. */
  function business(req: Request, res: Response): boolean {
    const t = req.get('access-token') ?? '';
    const until = clientTokens.get(t);
    if (!until || until <= clock.now()) {
      fail(res, ERR.token);
      return false;
    }
    if (!authorised.has(ACCOUNT)) {
      fail(res, ERR.notAuthorised);
      return false;
    }
    return true;
  }

  function refusal(c: Certificate | undefined, poiId: string) {
    if (!c) return ERR.notFound;
    if (c.poiId !== poiId) return ERR.otherShop;
    if (c.verification) return ERR.used;
    if (c.expiresAt <= clock.now()) return ERR.expired;
    return undefined;
  }

  const amount = (c: Certificate) => ({
    original_amount: c.sku.pay,
    pay_amount: c.sku.pay,
    coupon_pay_amount: c.sku.pay,
    list_market_amount: c.sku.marketPrice,
    merchant_ticket_amount: 0,
  });
  const sku = (c: Certificate) => ({
    sku_id: c.sku.skuId,
    title: c.sku.title,
    groupon_type: 1,
    market_price: c.sku.marketPrice,
    account_id: ACCOUNT,
  });
  const merchantGrant = (poiId: string) => {
    const refresh = token('rft');
    refreshTokens.set(refresh, { poiId, until: clock.now() + 30 * DAY });
    authorised.add(ACCOUNT);
    return {
      access_token: token('act'),
      expires_in: 15 * 86_400,
      refresh_token: refresh,
      refresh_expires_in: 30 * 86_400,
      open_id: `_000${id(12)}`,
      scope: 'life.capacity.fulfilment',
      account_id: ACCOUNT,
      poi_id: poiId,
      poi_name: poiOf(poiId).name,
    };
  };

  const app = express();
  app.disable('x-powered-by');
  app.use(express.json());
  app.use(express.urlencoded({ extended: false }));

  app.post('/oauth/client_token/', (req, res) => {
    const b = req.body as Record<string, string>;
    if (
      b.client_key !== o.clientKey ||
      b.client_secret !== o.clientSecret ||
      b.grant_type !== 'client_credential'
    )
      return fail(res, [10003, 'client_key 或 client_secret 错误']);
    const t = token('clt');
    clientTokens.set(t, clock.now() + 7200_000);
    envelope(res, { access_token: t, expires_in: 7200 });
  });

  app.get('/platform/oauth/connect/', (req, res) => {
    const q = req.query as Record<string, string>;
    if (q.client_key !== o.clientKey || !q.redirect_uri)
      return res.status(400).send('client_key 错误');
    if (!q.poi_id) {
      const link = (poiId: string) => `?${new URLSearchParams({ ...q, poi_id: poiId })}`;
      res
        .type('html')
        .send(
          `<h1>授权服务商应用 团购核销</h1><ul>${[DEMO_POI, OTHER_POI]
            .map((p) => `<li><a href="${link(p.id)}">${p.name}（${p.id}）授权</a></li>`)
            .join('')}</ul>`,
        );
      return;
    }
    const code = token('code');
    authCodes.set(code, { poiId: q.poi_id, until: clock.now() + 10 * 60_000 });
    const back = new URL(q.redirect_uri);
    back.searchParams.set('code', code);
    back.searchParams.set('state', q.state ?? '');
    res.redirect(302, back.toString());
  });

  app.post('/oauth/access_token/', (req, res) => {
    const b = req.body as Record<string, string>;
    const asked = authCodes.get(b.code ?? '');
    authCodes.delete(b.code ?? '');
    if (b.client_key !== o.clientKey || b.client_secret !== o.clientSecret)
      return fail(res, [10003, 'client_key 或 client_secret 错误']);
    if (!asked || asked.until <= clock.now()) return fail(res, [10007, '授权码已过期']);
    envelope(res, merchantGrant(asked.poiId));
  });

  app.post('/oauth/refresh_token/', (req, res) => {
    const b = req.body as Record<string, string>;
    const asked = refreshTokens.get(b.refresh_token ?? '');
    refreshTokens.delete(b.refresh_token ?? '');
    if (b.client_key !== o.clientKey || !asked || asked.until <= clock.now())
      return fail(res, [10010, 'refresh_token 已过期']);
    envelope(res, merchantGrant(asked.poiId));
  });

  app.get('/s/:link', (req, res) => {
    const objectId = shortLinks.get(req.params.link);
    if (!objectId) return res.status(404).send('not found');
    res.redirect(
      302,
      `${url}/share/commerce/coupon/?schema_type=13&object_id=${encodeURIComponent(objectId)}`,
    );
  });

  app.get('/goodlife/v1/fulfilment/certificate/prepare/', (req, res) => {
    if (!business(req, res)) return;
    const q = req.query as Record<string, string>;
    const c = q.code ? certificates.get(q.code) : byEncrypted.get(q.encrypted_data ?? '');
    const why = refusal(c, q.poi_id ?? '');
    if (why) return fail(res, why);
    const ofOrder = [...certificates.values()].filter(
      (x) => x.orderId === c!.orderId && !x.verification && x.expiresAt > clock.now(),
    );
    const verifyToken = randomBytes(16).toString('hex');
    verifyTokens.set(verifyToken, { orderId: c!.orderId, until: clock.now() + 60 * 60_000 });
    envelope(res, {
      verify_token: verifyToken,
      order_id: c!.orderId,
      certificates: [c!, ...ofOrder.filter((x) => x !== c)].map((x) => ({
        encrypted_code: x.encrypted,
        expire_time: Math.floor(x.expiresAt / 1000),
        amount: amount(x),
        sku: sku(x),
      })),
    });
  });

  app.post('/goodlife/v1/fulfilment/certificate/verify/', (req, res) => {
    if (!business(req, res)) return;
    const b = req.body as { verify_token?: string; poi_id?: string; encrypted_codes?: string[] };
    const vt = verifyTokens.get(b.verify_token ?? '');
    if (!vt || vt.until <= clock.now()) return fail(res, ERR.verifyToken);
    // The same verify_token again: the same answer, never a second verification.
    if (vt.answer) return envelope(res, vt.answer as object);
    const codes = b.encrypted_codes ?? [];
    if (codes.length === 0) return fail(res, ERR.bad);
    const at = clock.now();
    const results = codes.map((enc) => {
      const c = byEncrypted.get(enc);
      const why = c && c.orderId !== vt.orderId ? ERR.notFound : refusal(c, b.poi_id ?? '');
      if (why) return { result: why[0], msg: why[1] };
      const verifyId = `74${id(17)}`;
      c!.verification = { verifyId, at };
      records.push({ verifyId, certificateId: c!.id, at, cancelledAt: null });
      return {
        result: 0,
        msg: '履约成功',
        code: c!.encrypted,
        verify_id: verifyId,
        certificate_id: c!.id,
        origin_code: c!.code,
        account_id: ACCOUNT,
        order_id: c!.orderId,
        verify_time: Math.floor(at / 1000),
      };
    });
    vt.answer = { verify_results: results };
    if (dropNext) {
      dropNext = false;
      req.socket.destroy();
      return;
    }
    envelope(res, vt.answer as object);
  });

  app.post('/goodlife/v1/fulfilment/certificate/cancel/', (req, res) => {
    if (!business(req, res)) return;
    const b = req.body as { verify_id?: string; certificate_id?: string };
    const record = records.find(
      (r) => r.verifyId === b.verify_id && r.certificateId === b.certificate_id,
    );
    if (!record) return fail(res, ERR.notFound);
    if (record.cancelledAt !== null) return fail(res, ERR.cancelled);
    if (clock.now() >= record.at + undoWindowMs) return fail(res, ERR.undoLate);
    record.cancelledAt = clock.now();
    const c = [...certificates.values()].find((x) => x.id === record.certificateId)!;
    c.verification = null;
    envelope(res, {});
  });

  app.get('/goodlife/v1/fulfilment/certificate/get/', (req, res) => {
    if (!business(req, res)) return;
    const c = byEncrypted.get(String(req.query.encrypted_code ?? ''));
    if (!c) return fail(res, ERR.notFound);
    envelope(res, {
      certificate: {
        certificate_id: c.id,
        status: c.verification ? 2 : 1,
        expire_time: Math.floor(c.expiresAt / 1000),
        amount: amount(c),
        sku: sku(c),
        ...(c.verification
          ? {
              verify: {
                verify_id: c.verification.verifyId,
                verify_time: Math.floor(c.verification.at / 1000),
                can_cancel: clock.now() < c.verification.at + undoWindowMs,
              },
            }
          : {}),
      },
    });
  });

  app.get('/goodlife/v1/fulfilment/certificate/verify_record/query/', (req, res) => {
    if (!business(req, res)) return;
    const q = req.query as Record<string, string>;
    if (q.account_id !== ACCOUNT) return fail(res, ERR.notAuthorised);
    const pois = (q.poi_ids ?? '').split(',').filter(Boolean);
    const from = Number(q.start_time) * 1000;
    const to = Number(q.end_time) * 1000;
    const size = Math.min(Number(q.size ?? 50), 50);
    const after = Number(q.cursor ?? 0);
    const all = records
      .map((r, i) => ({
        r,
        i,
        c: [...certificates.values()].find((x) => x.id === r.certificateId)!,
      }))
      .filter(
        ({ r, c }) => r.at >= from && r.at < to && (pois.length === 0 || pois.includes(c.poiId)),
      );
    const page = all.filter(({ i }) => i >= after).slice(0, size);
    envelope(res, {
      total: all.length,
      records: page.map(({ r, i, c }) => ({
        verify_id: r.verifyId,
        certificate_id: r.certificateId,
        encrypted_code: c.encrypted,
        order_id: c.orderId,
        origin_code: c.code,
        verify_type: 1,
        verify_time: Math.floor(r.at / 1000),
        can_cancel: r.cancelledAt === null && clock.now() < r.at + undoWindowMs,
        status: r.cancelledAt === null ? 1 : 2,
        ...(r.cancelledAt !== null ? { cancel_time: Math.floor(r.cancelledAt / 1000) } : {}),
        amount: amount(c),
        sku: sku(c),
        cursor: String(i + 1),
      })),
    });
  });

  const server = await new Promise<Server>((resolve, reject) => {
    const s = app.listen(o.port ?? 0, o.host ?? '127.0.0.1', (err?: Error) =>
      err ? reject(err) : resolve(s),
    );
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${o.host ?? '127.0.0.1'}:${port}`;

  const qrOf = (code: string) => {
    const link = randomBytes(5).toString('base64url');
    shortLinks.set(link, certificates.get(code)!.encrypted);
    return `${url}/s/${link}`;
  };
  const demo: DouyinDemoCodes = {
    accountId: ACCOUNT,
    poiId: DEMO_POI.id,
    poiName: DEMO_POI.name,
    good,
    goodQr: qrOf(good[0]!),
    twoUses: '104686100000021',
    used: '104686100000031',
    expired: '104686100000041',
    otherShop: '104686100000051',
  };
  app.get('/__sim/demo', (_req, res) => res.json(demo));

  return {
    url,
    demo,
    addVoucher(v = {}) {
      const orderId = newOrder();
      const first = `1046862${String(++serial).padStart(8, '0')}`;
      add(first, { ...v, orderId });
      for (let i = 1; i < (v.uses ?? 1); i++) add(`${first}${i}`, { ...v, orderId });
      return first;
    },
    dropNextVerifyAnswer() {
      dropNext = true;
    },
    consumptionsOf(code) {
      const c = certificates.get(code);
      return c
        ? records.filter((r) => r.certificateId === c.id && r.cancelledAt === null).length
        : 0;
    },
    revoke(accountId) {
      authorised.delete(accountId);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
