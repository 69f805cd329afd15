// SMS by template through Alibaba Cloud's SMS service (Dysmsapi `SendSms`, RPC style, signature
// version 1.0: HMAC-SHA1 over the sorted, percent-encoded query), and the simulator that answers
// the same protocol on a local port: it checks the signature with the same secret, the sign name
// and the template, records what it sent, and pushes customers' replies (上行短信, where a reply
// of R or 退订 unsubscribes) to the cloud as the service's HTTP push does. Owns the wire format;
// who gets a message and when is the delivery's.
import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface AliyunSmsConfig {
  /** The service's address: https://dysmsapi.aliyuncs.com, or the simulator's. */
  endpoint: string;
  accessKeyId: string;
  accessKeySecret: string;
  /** The approved signature the texts go out under, e.g. 茶隐. */
  signName: string;
}

export interface SmsTemplateSend {
  phone: string;
  /** The approved template's code, e.g. SMS_465321001. */
  templateCode: string;
  params: Record<string, string>;
}

export class SmsSendError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(`SMS ${code}: ${message}`);
  }
}

/** RFC 3986 percent-encoding as the RPC signature wants it (space %20, * %2A, ~ kept). */
export function percentEncode(s: string): string {
  return encodeURIComponent(s)
    .replace(/\+/g, '%20')
    .replace(/\*/g, '%2A')
    .replace(/%7E/g, '~')
    .replace(/[!'()]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** The signature of a request's parameters (every one but `Signature`), for `method`. */
export function rpcSignature(
  method: string,
  params: Record<string, string>,
  accessKeySecret: string,
): string {
  const canonical = Object.keys(params)
    .filter((k) => k !== 'Signature')
    .sort()
    .map((k) => `${percentEncode(k)}=${percentEncode(params[k]!)}`)
    .join('&');
  const toSign = `${method}&${percentEncode('/')}&${percentEncode(canonical)}`;
  return createHmac('sha1', `${accessKeySecret}&`).update(toSign).digest('base64');
}

/** Sends one templated SMS; throws SmsSendError with the service's code when refused. */
export async function sendTemplateSms(
  config: AliyunSmsConfig,
  send: SmsTemplateSend,
  nowMs = Date.now(),
): Promise<{ bizId: string }> {
  const params: Record<string, string> = {
    AccessKeyId: config.accessKeyId,
    Action: 'SendSms',
    Format: 'JSON',
    PhoneNumbers: send.phone,
    RegionId: 'cn-hangzhou',
    SignName: config.signName,
    SignatureMethod: 'HMAC-SHA1',
    SignatureNonce: randomUUID(),
    SignatureVersion: '1.0',
    TemplateCode: send.templateCode,
    TemplateParam: JSON.stringify(send.params),
    Timestamp: new Date(nowMs).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    Version: '2017-05-25',
  };
  params.Signature = rpcSignature('POST', params, config.accessKeySecret);
  const res = await fetch(config.endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(params).toString(),
    signal: AbortSignal.timeout(10_000),
  });
  const body = (await res.json().catch(() => ({}))) as {
    Code?: string;
    Message?: string;
    BizId?: string;
  };
  if (body.Code !== 'OK') {
    throw new SmsSendError(body.Code ?? `HTTP ${res.status}`, body.Message ?? 'no answer');
  }
  return { bizId: body.BizId ?? '' };
}

export interface SentSms {
  phone: string;
  signName: string;
  templateCode: string;
  params: Record<string, string>;
  /** The text as the phone shows it: 【sign】 and the template filled. */
  text: string;
  bizId: string;
}

/**
 * The SMS service on a local port: `SendSms` with the signature checked against the one key it
 * knows, templates it was given, and replies pushed to `replyUrl` as the service's HTTP push does
 * (a JSON array of uplink messages; it expects `{"code":0}` back).
 */
export class AliyunSmsSimulator {
  readonly sent: SentSms[] = [];
  private server: Server | undefined;
  url = '';
  /** Where customers' replies are pushed (the cloud's uplink address); set before `reply`. */
  replyUrl = '';

  constructor(
    readonly key: { accessKeyId: string; accessKeySecret: string },
    readonly signName: string,
    /** Approved templates: code to text with ${name} variables, as the console shows them. */
    readonly templates: ReadonlyMap<string, string>,
    /** Told of each text sent, as the phone would show it (a development start prints them). */
    private readonly onSent?: (phone: string, text: string) => void,
  ) {}

  async start(port = 0, host = '127.0.0.1'): Promise<string> {
    this.server = createServer((req, res) => {
      let raw = '';
      req.on('data', (c: Buffer) => (raw += c.toString()));
      req.on('end', () => {
        const answer = this.handle(req.method ?? 'GET', raw, req.url ?? '/');
        res.writeHead(answer.Code === 'OK' ? 200 : 400, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ RequestId: randomUUID(), ...answer }));
      });
    });
    await new Promise<void>((r) => this.server!.listen(port, host, r));
    this.url = `http://${host}:${(this.server.address() as AddressInfo).port}/`;
    return this.url;
  }

  async stop(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((r) => this.server!.close(() => r()));
  }

  /** What `phone` was last sent. */
  lastTo(phone: string): SentSms | undefined {
    return this.sent.filter((m) => m.phone === phone).at(-1);
  }

  /** The customer at `phone` texts `content` back (R, 退订...): pushed to the cloud. */
  async reply(phone: string, content: string): Promise<void> {
    const res = await fetch(this.replyUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([
        {
          phone_number: phone,
          content,
          sign_name: this.signName,
          send_time: new Date().toISOString().slice(0, 19).replace('T', ' '),
          dest_code: '',
          sequence_id: Date.now(),
        },
      ]),
    });
    const body = (await res.json().catch(() => ({}))) as { code?: number };
    if (body.code !== 0) throw new Error(`the cloud refused the reply push: HTTP ${res.status}`);
  }

  private handle(
    method: string,
    raw: string,
    url: string,
  ): { Code: string; Message: string; BizId?: string } {
    const params = Object.fromEntries(
      new URLSearchParams(method === 'POST' ? raw : (url.split('?')[1] ?? '')),
    );
    if (params.Action !== 'SendSms') return { Code: 'InvalidAction', Message: 'only SendSms' };
    if (params.AccessKeyId !== this.key.accessKeyId) {
      return { Code: 'InvalidAccessKeyId.NotFound', Message: 'Specified access key is not found.' };
    }
    const expected = Buffer.from(rpcSignature(method, params, this.key.accessKeySecret));
    const given = Buffer.from(params.Signature ?? '');
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
      return { Code: 'SignatureDoesNotMatch', Message: 'Specified signature is not matched.' };
    }
    if (params.SignName !== this.signName) {
      return { Code: 'isv.SMS_SIGNATURE_ILLEGAL', Message: '签名不合法' };
    }
    const template = this.templates.get(params.TemplateCode ?? '');
    if (!template) return { Code: 'isv.SMS_TEMPLATE_ILLEGAL', Message: '模板不合法' };
    const phone = params.PhoneNumbers ?? '';
    if (!/^1\d{10}$/.test(phone))
      return { Code: 'isv.MOBILE_NUMBER_ILLEGAL', Message: '手机号码格式错误' };
    let values: Record<string, string>;
    try {
      values = JSON.parse(params.TemplateParam ?? '{}') as Record<string, string>;
    } catch {
      return { Code: 'isv.INVALID_JSON_PARAM', Message: 'JSON参数不合法' };
    }
    const missing = [...template.matchAll(/\$\{(\w+)\}/g)]
      .map((m) => m[1]!)
      .filter((k) => !(k in values));
    if (missing.length > 0) {
      return {
        Code: 'isv.TEMPLATE_MISSING_PARAMETERS',
        Message: `模板缺少变量 ${missing.join(',')}`,
      };
    }
    const bizId = `${Date.now()}^${this.sent.length}`;
    const text = `【${this.signName}】${template.replace(/\$\{(\w+)\}/g, (_, k: string) => values[k] ?? '')}`;
    this.onSent?.(phone, text);
    this.sent.push({
      phone,
      signName: this.signName,
      templateCode: params.TemplateCode!,
      params: values,
      text,
      bizId,
    });
    return { Code: 'OK', Message: 'OK', BizId: bizId };
  }
}
