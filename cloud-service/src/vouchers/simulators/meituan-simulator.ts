// A local stand-in for Meituan's open platform (服务零售 group-buy vouchers), speaking the protocol
// the Meituan adapter speaks: signed form POSTs (SHA-1 of the signKey and the sorted parameters,
// checked on every call, so a forged or stale signature is refused), the general/auth page and
// /oauth/token and /oauth/refresh, receipt prepare and scan-prepare, consume by requestid (the
// same requestid answers the same consumption), reverse-consume inside the undo window, and the
// day's receipts. Its vouchers: good ones, a used one, an expired one, another shop's; a fault can
// make the next consume happen while its answer is lost. Shares no code with the adapter it
// tests. Never used by a real deployment's cloud.
import { createHash, randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type Request, type Response } from 'express';

export interface MeituanSimulatorOptions {
  developerId: string;
  signKey: string;
  clock?: { now(): number };
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  undoWindowMs?: number;
  tokenTtlSeconds?: number;
}

interface Deal {
  dealId: string;
  dealgroupId: string;
  title: string;
  /** Yuan, as the platform answers. */
  price: number;
  marketPrice: number;
  settlePrice: number;
}

interface Receipt {
  code: string;
  orderId: string;
  deal: Deal;
  shopId: string;
  endsAt: number;
  consumed: boolean;
}

interface Verification {
  code: string;
  shopId: string;
  at: number;
  reversed: boolean;
}

export interface MeituanDemoCodes {
  shopId: string;
  shopName: string;
  good: string[];
  /** The text of the first good code's QR, as a scanner reads it. */
  goodQr: string;
  /** Two receipts of one order: consume with count 2. */
  twoUses: string;
  used: string;
  expired: string;
  otherShop: string;
}

export interface MeituanSimulator {
  url: string;
  demo: MeituanDemoCodes;
  /** A new unused receipt (for tests); its code. */
  addVoucher(v?: { shopId?: string; endsAt?: number; uses?: number }): string;
  /** The next consume happens but its answer never arrives (the connection is cut). */
  dropNextConsumeAnswer(): void;
  /** How many times the receipt was consumed, reversals not counted. */
  consumptionsOf(code: string): number;
  /** Makes a shop's access tokens run out now (the refresh token still works). */
  expireTokens(shopId: string): void;
  close(): Promise<void>;
}

const DEMO_SHOP = { id: '600100200', name: '棋牌室（演示店）' };
const OTHER_SHOP = { id: '600100999', name: '别家棋牌室' };
const DEALS: Deal[] = [
  {
    dealId: '41001',
    dealgroupId: '700001',
    title: '欢乐3小时 麻将包间',
    price: 58,
    marketPrice: 98,
    settlePrice: 52.2,
  },
  {
    dealId: '41002',
    dealgroupId: '700002',
    title: '通宵8小时 大包间',
    price: 98,
    marketPrice: 168,
    settlePrice: 88.2,
  },
];
const DAY = 86_400_000;

const ERR = {
  sign: [1001, '签名验证失败'],
  token: [1002, 'appAuthToken 无效或已过期'],
  notFound: [1301, '券码不存在'],
  used: [1302, '券码已使用'],
  expired: [1303, '券码已过期'],
  otherShop: [1304, '券码不适用于该门店'],
  undoLate: [1305, '已超过可撤销时间'],
  notConsumed: [1306, '券码未验证，无法撤销'],
  reversed: [1307, '券码已撤销'],
  bad: [1400, '参数错误'],
} as const;

export async function startMeituanSimulator(o: MeituanSimulatorOptions): Promise<MeituanSimulator> {
  const clock = o.clock ?? { now: () => Date.now() };
  const undoWindowMs = o.undoWindowMs ?? 60 * 60_000;
  const tokenTtl = o.tokenTtlSeconds ?? 30 * 86_400;
  const receipts = new Map<string, Receipt>();
  const verifications: Verification[] = [];
  const requests = new Map<string, { code: string; answer: unknown }>();
  const authCodes = new Map<string, { shopId: string; until: number }>();
  const accessTokens = new Map<string, { shopId: string; until: number }>();
  const refreshTokens = new Map<string, { shopId: string; until: number }>();
  let dropNext = false;
  let serial = 0;

  const newOrder = () => `${Date.now()}${String(++serial).padStart(4, '0')}`;
  const add = (
    code: string,
    v: { shopId?: string; endsAt?: number; deal?: Deal; orderId?: string },
  ) => {
    receipts.set(code, {
      code,
      orderId: v.orderId ?? newOrder(),
      deal: v.deal ?? DEALS[0]!,
      shopId: v.shopId ?? DEMO_SHOP.id,
      endsAt: v.endsAt ?? clock.now() + 90 * DAY,
      consumed: false,
    });
  };
  const good = ['3901220011', '3901220012', '3901220013', '3901220014', '3901220015'];
  for (const code of good) add(code, {});
  const pair = newOrder();
  add('3901220021', { orderId: pair, deal: DEALS[1] });
  add('3901220022', { orderId: pair, deal: DEALS[1] });
  add('3901220031', {});
  receipts.get('3901220031')!.consumed = true;
  verifications.push({
    code: '3901220031',
    shopId: DEMO_SHOP.id,
    at: clock.now() - 3 * DAY,
    reversed: false,
  });
  add('3901220041', { endsAt: clock.now() - DAY });
  add('3901220051', { shopId: OTHER_SHOP.id });

  const sign = (params: Record<string, string>) => {
    const text = Object.keys(params)
      .filter((k) => k !== 'sign' && params[k] !== '')
      .sort()
      .map((k) => `${k}${params[k]}`)
      .join('');
    return createHash('sha1').update(`${o.signKey}${text}`, 'utf8').digest('hex');
  };
  const fail = (res: Response, [code, msg]: readonly [number, string]) =>
    res.json({ code, msg, traceId: randomBytes(8).toString('hex') });
  const ok = (res: Response, data: unknown) =>
    res.json({ code: 0, msg: 'success', data, traceId: randomBytes(8).toString('hex') });
  const token = () => randomBytes(24).toString('hex');

  /** The request's parameters when its developer and signature check out. */
  function signed(
    req: Request,
    res: Response,
    except: string[] = [],
  ): Record<string, string> | undefined {
    const all = {
      ...(req.query as Record<string, string>),
      ...(req.body as Record<string, string>),
    };
    const params = Object.fromEntries(Object.entries(all).filter(([k]) => !except.includes(k)));
    if (params.developerId !== o.developerId || !params.sign || sign(params) !== params.sign) {
      fail(res, ERR.sign);
      return undefined;
    }
    return params;
  }

  /** The shop a signed business call's appAuthToken names, and its biz parameters. */
  function business(req: Request, res: Response) {
    const params = signed(req, res);
    if (!params) return undefined;
    const t = accessTokens.get(params.appAuthToken ?? '');
    if (!t || t.until <= clock.now()) {
      fail(res, ERR.token);
      return undefined;
    }
    try {
      return { shopId: t.shopId, biz: JSON.parse(params.biz ?? '{}') as Record<string, unknown> };
    } catch {
      fail(res, ERR.bad);
      return undefined;
    }
  }

  /** Why a receipt cannot be consumed by the shop now, if it cannot. */
  function refusal(r: Receipt | undefined, shopId: string) {
    if (!r) return ERR.notFound;
    if (r.shopId !== shopId) return ERR.otherShop;
    if (r.consumed) return ERR.used;
    if (r.endsAt <= clock.now()) return ERR.expired;
    return undefined;
  }

  const view = (r: Receipt, extra: object = {}) => ({
    receipt_code: r.code,
    order_id: r.orderId,
    deal_id: r.deal.dealId,
    dealgroup_id: r.deal.dealgroupId,
    deal_title: r.deal.title,
    deal_price: r.deal.price,
    deal_marketprice: r.deal.marketPrice,
    settle_price: r.deal.settlePrice,
    receipt_end_date: r.endsAt,
    ...extra,
  });
  const unusedOfOrder = (r: Receipt) =>
    [...receipts.values()].filter(
      (x) =>
        x.orderId === r.orderId && !x.consumed && x.endsAt > clock.now() && x.shopId === r.shopId,
    );
  const grant = (shopId: string) => {
    const access = `V2-${token()}`;
    const refresh = token();
    accessTokens.set(access, { shopId, until: clock.now() + tokenTtl * 1000 });
    refreshTokens.set(refresh, { shopId, until: clock.now() + 35 * DAY });
    const shop = shopId === DEMO_SHOP.id ? DEMO_SHOP : OTHER_SHOP;
    return {
      accessToken: access,
      expireIn: tokenTtl,
      refreshToken: refresh,
      opBizCode: shopId,
      opBizName: shop.name,
      scope: 'tuangou',
    };
  };

  const app = express();
  app.disable('x-powered-by');
  app.use(express.urlencoded({ extended: false }));

  app.get('/general/auth', (req, res) => {
    const params = signed(req, res, ['shop']);
    if (!params) return;
    const picked = req.query.shop;
    if (typeof picked !== 'string') {
      // The page an owner sees: their shops, each granted with one click.
      const link = (shopId: string) => `?${new URLSearchParams({ ...params, shop: shopId })}`;
      res
        .type('html')
        .send(
          `<h1>授权第三方应用验券</h1><ul>${[DEMO_SHOP, OTHER_SHOP]
            .map((s) => `<li><a href="${link(s.id)}">${s.name}（${s.id}）授权</a></li>`)
            .join('')}</ul>`,
        );
      return;
    }
    const code = token();
    authCodes.set(code, { shopId: picked, until: clock.now() + 10 * 60_000 });
    const back = new URL(params.callbackUrl ?? '');
    back.searchParams.set('code', code);
    back.searchParams.set('state', params.state ?? '');
    res.redirect(302, back.toString());
  });

  app.post('/oauth/token', (req, res) => {
    const params = signed(req, res);
    if (!params) return;
    const asked = authCodes.get(params.code ?? '');
    authCodes.delete(params.code ?? '');
    if (params.grantType !== 'authorization_code' || !asked || asked.until <= clock.now())
      return fail(res, [1003, '授权码无效或已过期']);
    ok(res, grant(asked.shopId));
  });

  app.post('/oauth/refresh', (req, res) => {
    const params = signed(req, res);
    if (!params) return;
    const asked = refreshTokens.get(params.refreshToken ?? '');
    refreshTokens.delete(params.refreshToken ?? '');
    if (params.grantType !== 'refresh_token' || !asked || asked.until <= clock.now())
      return fail(res, [1003, 'refreshToken 无效或已过期']);
    ok(res, grant(asked.shopId));
  });

  const prepare = (code: string, req: Request, res: Response, shopId: string) => {
    const r = receipts.get(code);
    const why = refusal(r, shopId);
    if (why) return fail(res, why);
    ok(res, view(r!, { count: unusedOfOrder(r!).length }));
  };
  app.post('/ddzh/tuangou/receipt/prepare', (req, res) => {
    const call = business(req, res);
    if (call) prepare(String(call.biz.receipt_code ?? ''), req, res, call.shopId);
  });
  app.post('/ddzh/tuangou/receipt/scanprepare', (req, res) => {
    const call = business(req, res);
    if (!call) return;
    const qr = /^mtqr:(\d+)$/.exec(String(call.biz.qr_code ?? ''));
    prepare(qr?.[1] ?? '', req, res, call.shopId);
  });

  app.post('/ddzh/tuangou/receipt/consume', (req, res) => {
    const call = business(req, res);
    if (!call) return;
    const requestId = String(call.biz.requestid ?? '');
    const code = String(call.biz.receipt_code ?? '');
    const count = Number(call.biz.count ?? 1);
    if (!requestId || !Number.isInteger(count) || count < 1) return fail(res, ERR.bad);
    const seen = requests.get(`${call.shopId}:${requestId}`);
    if (seen) {
      if (seen.code !== code) return fail(res, ERR.bad);
      return ok(res, seen.answer);
    }
    const r = receipts.get(code);
    const why = refusal(r, call.shopId);
    if (why) return fail(res, why);
    const others = unusedOfOrder(r!).filter((x) => x.code !== code);
    if (others.length + 1 < count) return fail(res, ERR.used);
    const at = clock.now();
    const consumed = [r!, ...others.slice(0, count - 1)];
    for (const x of consumed) {
      x.consumed = true;
      verifications.push({ code: x.code, shopId: call.shopId, at, reversed: false });
    }
    const answer = consumed.map((x) => view(x, { verify_time: at }));
    requests.set(`${call.shopId}:${requestId}`, { code, answer });
    if (dropNext) {
      dropNext = false;
      req.socket.destroy();
      return;
    }
    ok(res, answer);
  });

  app.post('/ddzh/tuangou/receipt/reverseconsume', (req, res) => {
    const call = business(req, res);
    if (!call) return;
    const code = String(call.biz.receipt_code ?? '');
    const r = receipts.get(code);
    if (!r || r.shopId !== call.shopId) return fail(res, ERR.notFound);
    if (String(call.biz.app_deal_id ?? '') !== r.deal.dealId) return fail(res, ERR.bad);
    const last = verifications.filter((v) => v.code === code).at(-1);
    if (!last) return fail(res, ERR.notConsumed);
    if (last.reversed) return fail(res, ERR.reversed);
    if (clock.now() >= last.at + undoWindowMs) return fail(res, ERR.undoLate);
    last.reversed = true;
    r.consumed = false;
    ok(res, { result: true });
  });

  app.post('/ddzh/tuangou/receipt/querylistbydate', (req, res) => {
    const call = business(req, res);
    if (!call) return;
    const date = String(call.biz.date ?? '');
    const offset = Number(call.biz.offset ?? 0);
    const limit = Math.min(Number(call.biz.limit ?? 100), 100);
    const inDay = verifications.filter((v) => v.shopId === call.shopId && chinaDate(v.at) === date);
    ok(res, {
      total: inDay.length,
      records: inDay
        .slice(offset, offset + limit)
        .map((v) => view(receipts.get(v.code)!, { verify_time: v.at, status: v.reversed ? 2 : 1 })),
    });
  });

  const demo: MeituanDemoCodes = {
    shopId: DEMO_SHOP.id,
    shopName: DEMO_SHOP.name,
    good,
    goodQr: `mtqr:${good[0]}`,
    twoUses: '3901220021',
    used: '3901220031',
    expired: '3901220041',
    otherShop: '3901220051',
  };
  app.get('/__sim/demo', (_req, res) => res.json(demo));

  const server = await new Promise<Server>((resolve, reject) => {
    const s = app.listen(o.port ?? 0, o.host ?? '127.0.0.1', (err?: Error) =>
      err ? reject(err) : resolve(s),
    );
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${o.host ?? '127.0.0.1'}:${port}`,
    demo,
    addVoucher(v = {}) {
      const orderId = newOrder();
      const first = String(4000000000 + Math.floor(Math.random() * 900000000) + serial);
      add(first, { ...v, orderId });
      for (let i = 1; i < (v.uses ?? 1); i++) add(`${first}${i}`, { ...v, orderId });
      return first;
    },
    dropNextConsumeAnswer() {
      dropNext = true;
    },
    consumptionsOf(code) {
      return verifications.filter((v) => v.code === code && !v.reversed).length;
    },
    expireTokens(shopId) {
      for (const t of accessTokens.values()) if (t.shopId === shopId) t.until = clock.now();
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The platform's dates are China's (UTC+8, no daylight saving). */
function chinaDate(ms: number): string {
  return new Date(ms + 8 * 3_600_000).toISOString().slice(0, 10);
}
