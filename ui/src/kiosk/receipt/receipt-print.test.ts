// Printing never hangs the code screen: a bridge that never answers, refuses or throws is a failed
// print in time, and a bridge whose settings cannot be read gives the defaults (80 mm, not by
// itself).
import { describe, expect, it } from 'vitest';
import type { ShellBridge } from '@roomhub/shared-types';
import { DEFAULT_RECEIPT_SETTINGS, printReceipt, receiptSettings } from './receipt-print';

const page = { widthMm: 80, heightMm: 140 } as const;
const bridge = (print: ShellBridge['printReceipt']): ShellBridge => ({
  receiptSettings: () => Promise.reject(new Error('no shell')),
  printReceipt: print,
});

describe('printing a receipt', () => {
  it('says printed when the shell’s printer took it, failed when it refused or threw', async () => {
    expect(
      await printReceipt(
        page,
        bridge(() => Promise.resolve({ ok: true })),
      ),
    ).toBe('printed');
    expect(
      await printReceipt(
        page,
        bridge(() => Promise.resolve({ ok: false, reason: 'no paper' })),
      ),
    ).toBe('failed');
    expect(
      await printReceipt(
        page,
        bridge(() => Promise.reject(new Error('gone'))),
      ),
    ).toBe('failed');
  });

  it('gives up on a printer that never answers', async () => {
    const never = bridge(() => new Promise(() => undefined));
    const started = Date.now();
    expect(await printReceipt(page, never, 50)).toBe('failed');
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('reads the defaults when the shell cannot say its settings', async () => {
    expect(await receiptSettings(bridge(() => Promise.resolve({ ok: true })))).toEqual(
      DEFAULT_RECEIPT_SETTINGS,
    );
    expect(DEFAULT_RECEIPT_SETTINGS).toEqual({ paperMm: 80, printAfterPayment: false });
  });
});
