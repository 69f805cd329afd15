// The log both servers write: a line per request with its id, every line of that request with
// the same id, secrets redacted and phones masked, and the last days read back for a download.
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { logger, maskPhones, openLog, recentLogs, requestLog } from './index';

async function until<T>(fn: () => T | undefined): Promise<T> {
  for (let i = 0; i < 100; i++) {
    const v = fn();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('the line never came');
}

describe('the log', () => {
  it('carries the request id on every line of a request, masks phones and redacts secrets', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'log-'));
    const log = openLog(dir, 'cloud');
    const middleware = requestLog();
    const server = createServer((req, res) =>
      middleware(req, res, () => {
        logger().warn({ phone: '13800138000', ownerPin: '246810', accessToken: 'abc' }, 'asked');
        res.end('ok');
      }),
    );
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const { port } = server.address() as { port: number };
    const res = await fetch(`http://127.0.0.1:${port}/api/orders?phone=13800138000`, {
      headers: { 'x-request-id': 'order-7' },
    });
    expect(res.headers.get('x-request-id')).toBe('order-7');
    server.close();
    const text = await until(() => {
      // The file is made by the first write, which may come after the answer.
      if (!existsSync(join(dir, 'cloud.log'))) return undefined;
      const t = readFileSync(join(dir, 'cloud.log'), 'utf8');
      return t.includes('"msg":"request"') ? t : undefined;
    });
    const lines = text
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.find((l) => l.msg === 'asked')).toMatchObject({
      reqId: 'order-7',
      phone: '138****8000',
      ownerPin: '[redacted]',
      accessToken: '[redacted]',
    });
    expect(lines.find((l) => l.msg === 'request')).toMatchObject({
      reqId: 'order-7',
      path: '/api/orders',
      status: 200,
      app: 'cloud',
    });
    expect(text).not.toContain('13800138000');
    expect(recentLogs(dir, 'cloud', 1, Date.now())).toContain('"reqId":"order-7"');
    expect(recentLogs(dir, 'hub', 1, Date.now())).toBe('');
    await log.close();
  });

  it('masks a mainland mobile number wherever it stands in a text', () => {
    expect(maskPhones('call 13800138000, not 12345678901 or 138001380001')).toBe(
      'call 138****8000, not 12345678901 or 138001380001',
    );
  });
});
