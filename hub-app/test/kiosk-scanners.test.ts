// A scanner wired to a kiosk, on a real serial line (a pseudo-terminal pair): what it reads (a
// customer's payment code is money) reaches that kiosk's live events alone, never another kiosk,
// the cashier's screen or staff signed in; the counter's own scanner still reaches the counter.
import { closeSync, mkdtempSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { socatAvailable, startPtyPair, type PtyPair } from '@roomhub/firmware-bridge/simulator';
import { as, startTestHub, type TestHub } from './harness';

let h: TestHub | null = null;
const ptys: PtyPair[] = [];
const streams: AbortController[] = [];
afterEach(async () => {
  for (const s of streams.splice(0)) s.abort();
  await h?.close();
  for (const p of ptys.splice(0)) await p.close();
});

/** Follows the hub's live events as `headers` would, collecting the scans' texts. */
async function follow(hub: TestHub, headers: Record<string, string>): Promise<string[]> {
  const scans: string[] = [];
  const stop = new AbortController();
  streams.push(stop);
  const res = await fetch(`${hub.url}/api/events`, { headers, signal: stop.signal });
  expect(res.status).toBe(200);
  void (async () => {
    const decoder = new TextDecoder();
    let buffered = '';
    try {
      for await (const chunk of res.body!) {
        buffered += decoder.decode(chunk as Uint8Array, { stream: true });
        const blocks = buffered.split('\n\n');
        buffered = blocks.pop()!;
        for (const block of blocks) {
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (block.startsWith('event: scan') && data) scans.push(JSON.parse(data).scan.text);
        }
      }
    } catch {
      // stopped by the test
    }
  })();
  return scans;
}

/** A screen paired with the owner's code: its token as the header the screen sends. */
async function pair(hub: TestHub, name: string, kind: string): Promise<Record<string, string>> {
  const made = await hub.api('POST', '/api/screens/pairing-codes', { name, kind }, as('owner'));
  const paired = await hub.api('POST', '/api/screens/pair', { code: made.body.code });
  expect(paired.status).toBe(201);
  return { 'x-screen-token': paired.body.token as string };
}

const type = (path: string, text: string) => {
  const fd = openSync(path, 'w');
  writeSync(fd, `${text}\r\n`);
  closeSync(fd);
};

const settle = () => new Promise((r) => setTimeout(r, 400));

describe.runIf(socatAvailable())('a scanner wired to a kiosk', () => {
  it('reads for that kiosk alone; the counter’s scanner reads for the counter alone', async () => {
    const kioskLine = await startPtyPair();
    const counterLine = await startPtyPair();
    ptys.push(kioskLine, counterLine);
    const file = join(mkdtempSync(join(tmpdir(), 'kiosk-scanners-')), 'scanners.json');
    writeFileSync(
      file,
      JSON.stringify({
        serial: [{ path: kioskLine.b }, { path: counterLine.b }],
        kiosks: { [kioskLine.b]: '大堂自助机' },
      }),
    );
    h = await startTestHub({ scannersFile: file });
    const lobby = await pair(h, '大堂自助机', 'kiosk');
    const upstairs = await pair(h, '二楼自助机', 'kiosk');
    const cashierScreen = await pair(h, '前台', 'cashier');

    const atLobby = await follow(h, lobby);
    const atUpstairs = await follow(h, upstairs);
    const atCashier = await follow(h, cashierScreen);
    const atStaff = await follow(h, await h.headersOf('cashier'));

    const paymentCode = '134567890123456789';
    type(kioskLine.a, paymentCode);
    type(counterLine.a, 'RHV1.voucher-at-the-counter');
    const until = Date.now() + 3_000;
    while ((atLobby.length < 1 || atCashier.length < 1) && Date.now() < until) await settle();
    await settle();

    expect(atLobby).toEqual([paymentCode]);
    expect(atUpstairs).toEqual([]);
    expect(atCashier).toEqual(['RHV1.voucher-at-the-counter']);
    expect(atStaff).toEqual(['RHV1.voucher-at-the-counter']);
  });
});
