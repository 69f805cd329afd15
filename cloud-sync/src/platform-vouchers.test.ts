// The hub's client of the cloud's platform voucher routes, against a stand-in cloud on a real
// socket: it signs in with the hub's CouchDB user (HTTP Basic), sends the contract's bodies, and
// turns the cloud's error answers back into DomainErrors a cashier's screen can word, a cloud
// that does not answer (down, or slower than the time limit) into `platform_unavailable`.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DomainError } from '@roomhub/shared-types';
import { CloudPlatformVouchers } from './platform-vouchers';

type Handler = (req: IncomingMessage, body: string, res: ServerResponse) => void;
let handle: Handler = () => undefined;
let server: Server;
let url: string;
const seen: { method: string; url: string; authorization?: string; body: string }[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      seen.push({
        method: req.method!,
        url: req.url!,
        ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}),
        body,
      });
      handle(req, body, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const json = (res: ServerResponse, status: number, value: unknown) => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(value));
};
const client = (timeoutMs?: number) =>
  new CloudPlatformVouchers({
    cloudUrl: `${url}/`,
    username: 'hub-s1',
    password: 'p:ss',
    ...(timeoutMs ? { timeoutMs } : {}),
  });
async function refusal(p: Promise<unknown>): Promise<DomainError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(DomainError);
    return e as DomainError;
  }
  throw new Error('expected a refusal');
}

describe("the hub's platform voucher client", () => {
  it('calls each route as the hub, with the bodies of the contract', async () => {
    handle = (_req, _body, res) => json(res, 200, { ok: true });
    seen.length = 0;
    const c = client();
    await c.prepare({ platform: 'meituan', code: '3901220011' });
    await c.consume({
      platform: 'douyin',
      code: '104686100000011',
      prepareToken: 't',
      requestId: 'req-000001',
    });
    await c.undo({ platform: 'douyin', consumptionId: 'v1', requestId: 'req-000002' });
    await c.consumptions('meituan', '2026-11-23');
    expect(seen.map((s) => `${s.method} ${s.url}`)).toEqual([
      'POST /api/hub/platform-vouchers/prepare',
      'POST /api/hub/platform-vouchers/consume',
      'POST /api/hub/platform-vouchers/undo',
      'GET /api/hub/platform-vouchers/consumptions?platform=meituan&date=2026-11-23',
    ]);
    const basic = `Basic ${Buffer.from('hub-s1:p:ss').toString('base64')}`;
    expect(seen.every((s) => s.authorization === basic)).toBe(true);
    expect(JSON.parse(seen[1]!.body)).toEqual({
      platform: 'douyin',
      code: '104686100000011',
      prepareToken: 't',
      requestId: 'req-000001',
    });
  });

  it("rebuilds the cloud's errors with their kind and the words their sentences need", async () => {
    handle = (_req, _body, res) =>
      json(res, 409, {
        error: { code: 'voucher_used', message: 'this voucher has already been used' },
      });
    const used = await refusal(client().prepare({ platform: 'meituan', code: '3901220031' }));
    expect([used.kind, used.code, used.status]).toEqual(['conflict', 'voucher_used', 409]);
    expect(used.messageIn('zh-CN')).toBe('这张券已经核销过了');

    handle = (_req, _body, res) =>
      json(res, 422, {
        error: { code: 'platform_refused', message: 'Douyin refused (2100005: 参数不合法)' },
      });
    const refused = await refusal(
      client().prepare({ platform: 'douyin', code: '104686100000011' }),
    );
    expect(refused.params).toMatchObject({
      platformCode: '2100005',
      platformMessage: '参数不合法',
    });
    expect(refused.messageIn('zh-CN')).toBe('抖音拒绝了这次操作：参数不合法（2100005）');

    handle = (_req, _body, res) =>
      json(res, 401, {
        error: { code: 'invalid_login', message: 'the hub user or password is wrong' },
      });
    const login = await refusal(client().consumptions('douyin', '2026-11-23'));
    expect([login.kind, login.code]).toEqual(['unauthenticated', 'invalid_login']);
  });

  it('says platform_unavailable when the cloud is down, too slow, or answers something else', async () => {
    handle = () => undefined; // never answers
    const slow = await refusal(client(200).prepare({ platform: 'meituan', code: '3901220011' }));
    expect([slow.code, slow.status]).toEqual(['platform_unavailable', 503]);
    expect(slow.messageIn('zh-CN')).toBe('暂时连不上美团/大众点评，请稍后再试');

    handle = (_req, _body, res) => {
      res.writeHead(502);
      res.end('<html>bad gateway</html>');
    };
    const proxy = await refusal(client().prepare({ platform: 'meituan', code: '3901220011' }));
    expect(proxy.code).toBe('platform_unavailable');

    const down = new CloudPlatformVouchers({
      cloudUrl: 'http://127.0.0.1:9',
      username: 'hub-s1',
      password: 'x',
    });
    const gone = await refusal(down.prepare({ platform: 'douyin', code: '104686100000011' }));
    expect(gone.code).toBe('platform_unavailable');
  });
});
