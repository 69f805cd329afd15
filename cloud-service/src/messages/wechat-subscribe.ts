// WeChat mini-program subscribe messages (订阅消息): the access token from the app's id and
// secret (`/cgi-bin/token`, kept until shortly before it runs out), and
// `/cgi-bin/message/subscribe/send` with the template's fields. A customer's authorisation is
// one-time: each tap of "allow" lets one message of that template through, so the platform
// answers 43101 when none is left. The simulator answers the same protocol on a local port and
// keeps the authorisations as WeChat does, so a send without one is refused there too.
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface WechatSubscribeConfig {
  /** https://api.weixin.qq.com, or the simulator's. */
  endpoint: string;
  appId: string;
  appSecret: string;
}

export interface SubscribeSend {
  openid: string;
  templateId: string;
  /** The page of the mini-program the message opens. */
  page: string;
  /** Template fields (thing1, time2...), each value within its field's rule. */
  data: Record<string, string>;
}

export class WechatSendError extends Error {
  constructor(
    readonly errcode: number,
    errmsg: string,
  ) {
    super(`WeChat ${errcode}: ${errmsg}`);
  }
  /** The customer has no authorisation left for this template. */
  get notAuthorised(): boolean {
    return this.errcode === 43101;
  }
}

export class WechatSubscribeClient {
  private token: { value: string; untilMs: number } | undefined;
  constructor(
    private readonly config: WechatSubscribeConfig,
    private readonly now: () => number = Date.now,
  ) {}

  private async accessToken(): Promise<string> {
    if (this.token && this.token.untilMs > this.now()) return this.token.value;
    const url = new URL('/cgi-bin/token', this.config.endpoint);
    url.search = new URLSearchParams({
      grant_type: 'client_credential',
      appid: this.config.appId,
      secret: this.config.appSecret,
    }).toString();
    const body = (await (await fetch(url, { signal: AbortSignal.timeout(10_000) })).json()) as {
      access_token?: string;
      expires_in?: number;
      errcode?: number;
      errmsg?: string;
    };
    if (!body.access_token)
      throw new WechatSendError(body.errcode ?? -1, body.errmsg ?? 'no token');
    // Renewed five minutes early, so a send never carries a token about to run out.
    this.token = {
      value: body.access_token,
      untilMs: this.now() + ((body.expires_in ?? 7200) - 300) * 1000,
    };
    return this.token.value;
  }

  async send(s: SubscribeSend): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      const url = new URL('/cgi-bin/message/subscribe/send', this.config.endpoint);
      url.searchParams.set('access_token', await this.accessToken());
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          touser: s.openid,
          template_id: s.templateId,
          page: s.page,
          miniprogram_state: 'formal',
          lang: 'zh_CN',
          data: Object.fromEntries(Object.entries(s.data).map(([k, v]) => [k, { value: v }])),
        }),
        signal: AbortSignal.timeout(10_000),
      });
      const body = (await res.json()) as { errcode?: number; errmsg?: string };
      if (body.errcode === 0) return;
      // The token was revoked or rotated elsewhere: take a new one, once.
      if ((body.errcode === 40001 || body.errcode === 42001) && attempt === 0) {
        this.token = undefined;
        continue;
      }
      throw new WechatSendError(body.errcode ?? -1, body.errmsg ?? `HTTP ${res.status}`);
    }
  }
}

/** The rule of a template field by its name's kind (thing ≤ 20 characters, time a date...). */
export function fieldProblem(name: string, value: string): string | undefined {
  const kind = name.replace(/\d+$/, '');
  const len = [...value].length;
  if (kind === 'thing' && (len === 0 || len > 20)) return `${name} must be 1-20 characters`;
  if (kind === 'time' && !/^\d{4}-\d{2}-\d{2}( \d{2}:\d{2})?$|^\d{2}:\d{2}$/.test(value)) {
    return `${name} must be a date or time`;
  }
  if (kind === 'amount' && !/^¥?\d+(\.\d{1,2})?元?$/.test(value))
    return `${name} must be an amount`;
  if (kind === 'phrase' && (len === 0 || len > 5)) return `${name} must be 1-5 characters`;
  return undefined;
}

export interface DeliveredSubscribe {
  openid: string;
  templateId: string;
  page: string;
  data: Record<string, string>;
}

export class WechatSubscribeSimulator {
  readonly sent: DeliveredSubscribe[] = [];
  /** Authorisations left, by openid and template. */
  private readonly grants = new Map<string, number>();
  private readonly tokens = new Set<string>();
  private server: Server | undefined;
  url = '';

  constructor(
    readonly app: { appId: string; appSecret: string },
    /** Template ids and their field names, as set up in the mini-program's console. */
    readonly templates: ReadonlyMap<string, readonly string[]>,
  ) {}

  /** The customer taps "allow" for these templates in the mini-program (one use each). */
  authorise(openid: string, templateIds: readonly string[]): void {
    for (const t of templateIds) {
      const key = `${openid}|${t}`;
      this.grants.set(key, (this.grants.get(key) ?? 0) + 1);
    }
  }

  /** Every token handed out so far stops working (as a token rotated by another server does). */
  revokeTokens(): void {
    this.tokens.clear();
  }

  async start(port = 0, host = '127.0.0.1'): Promise<string> {
    this.server = createServer((req, res) => {
      let raw = '';
      req.on('data', (c: Buffer) => (raw += c.toString()));
      req.on('end', () => {
        const url = new URL(req.url ?? '/', 'http://x');
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(this.handle(url, raw)));
      });
    });
    await new Promise<void>((r) => this.server!.listen(port, host, r));
    this.url = `http://${host}:${(this.server.address() as AddressInfo).port}`;
    return this.url;
  }

  async stop(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((r) => this.server!.close(() => r()));
  }

  private handle(url: URL, raw: string): Record<string, unknown> {
    if (url.pathname === '/cgi-bin/token') {
      const q = url.searchParams;
      if (q.get('appid') !== this.app.appId || q.get('secret') !== this.app.appSecret) {
        return { errcode: 40013, errmsg: 'invalid appid' };
      }
      const token = randomBytes(24).toString('base64url');
      this.tokens.add(token);
      return { access_token: token, expires_in: 7200 };
    }
    if (url.pathname !== '/cgi-bin/message/subscribe/send') {
      return { errcode: 40066, errmsg: 'invalid url' };
    }
    if (!this.tokens.has(url.searchParams.get('access_token') ?? '')) {
      return { errcode: 40001, errmsg: 'invalid credential, access_token is invalid' };
    }
    let body: {
      touser?: string;
      template_id?: string;
      page?: string;
      data?: Record<string, { value?: string }>;
    };
    try {
      body = JSON.parse(raw) as typeof body;
    } catch {
      return { errcode: 47001, errmsg: 'data format error' };
    }
    const fields = this.templates.get(body.template_id ?? '');
    if (!fields) return { errcode: 40037, errmsg: 'invalid template_id' };
    const data = Object.fromEntries(
      Object.entries(body.data ?? {}).map(([k, v]) => [k, String(v?.value ?? '')]),
    );
    for (const f of fields) {
      const problem = f in data ? fieldProblem(f, data[f]!) : `${f} is missing`;
      if (problem) return { errcode: 47003, errmsg: `argument invalid! ${problem}` };
    }
    const key = `${body.touser}|${body.template_id}`;
    const left = this.grants.get(key) ?? 0;
    if (left <= 0) return { errcode: 43101, errmsg: 'user refuse to accept the msg' };
    this.grants.set(key, left - 1);
    this.sent.push({
      openid: body.touser ?? '',
      templateId: body.template_id!,
      page: body.page ?? '',
      data,
    });
    return { errcode: 0, errmsg: 'ok' };
  }
}
