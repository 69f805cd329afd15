// The kiosk's receipt printer: answers the kiosk page's two questions over the bridge (its receipt
// settings; print this receipt) and prints the kiosk's page as it is, in its print view, silently
// to the printer the settings name (the system's default without one) on a page of the receipt's
// size. Only the kiosk window showing the hub's own page is answered; it never prints another
// window, never opens a dialog, and answers within PRINT_TIMEOUT_MS whatever the printer does.
import { z } from 'zod';
import type { ReceiptPage, ReceiptPrinted, ReceiptSettings } from '@roomhub/shared-types';
import type { ElectronApi, InvokeEvent, ShellWindow } from './electron-api';
import type { Timers } from './hub-service';
import type { ShellSettings } from './settings';
import { BRIDGE_CHANNELS } from './shell-bridge';

/** A printer that has not answered by then is given up on: the page says so and goes on. */
export const PRINT_TIMEOUT_MS = 25_000;

// The page's request as shared-types describes it (the shell bundles none of shared-types).
const PageSchema: z.ZodType<ReceiptPage> = z
  .object({
    widthMm: z.union([z.literal(58), z.literal(80)], {
      error: 'widthMm must be 58 or 80 (mm of receipt paper)',
    }),
    heightMm: z
      .number({ error: 'heightMm must be a number of millimetres' })
      .min(20, 'heightMm must be at least 20')
      .max(2000, 'heightMm must be at most 2000'),
  })
  .strict();

export interface ReceiptPrinterOptions {
  settings: ShellSettings['receipt'];
  /** The kiosk's window, the only one that prints. */
  kiosk: () => ShellWindow | null;
  /** Where the hub serves, once it does: the kiosk's page must come from there. */
  hubOrigin: () => string | null;
  log: (line: string) => void;
  timers: Pick<Timers, 'setTimeout' | 'clearTimeout'>;
}

export function serveReceiptPrinting(
  electron: Pick<ElectronApi, 'handle'>,
  o: ReceiptPrinterOptions,
): void {
  const kioskAsking = (event: InvokeEvent): ShellWindow | null => {
    const w = o.kiosk();
    const origin = o.hubOrigin();
    if (!w || w.isDestroyed() || !origin || event.sender.id !== w.webContents.id) return null;
    try {
      return new URL(event.senderFrame?.url ?? '').origin === origin ? w : null;
    } catch {
      return null;
    }
  };

  electron.handle(BRIDGE_CHANNELS.receiptSettings, (event): ReceiptSettings => {
    if (!kioskAsking(event)) throw new Error('only the kiosk page asks for the receipt settings');
    return { paperMm: o.settings.paperMm, printAfterPayment: o.settings.printAfterPayment };
  });

  electron.handle(BRIDGE_CHANNELS.printReceipt, (event, asked): Promise<ReceiptPrinted> => {
    const w = kioskAsking(event);
    if (!w) return Promise.resolve({ ok: false, reason: 'only the kiosk page prints receipts' });
    const page = PageSchema.safeParse(asked);
    if (!page.success) {
      const issue = page.error.issues[0]!;
      const reason = `${issue.path.map(String).join('.') || '(the page)'}: ${issue.message}`;
      o.log(`receipt: refused: ${reason}`);
      return Promise.resolve({ ok: false, reason });
    }
    return printOn(w, page.data);
  });

  const printOn = (w: ShellWindow, page: ReceiptPage) =>
    new Promise<ReceiptPrinted>((resolve) => {
      let done = false;
      const finish = (r: ReceiptPrinted) => {
        if (done) return;
        done = true;
        o.timers.clearTimeout(timer);
        o.log(r.ok ? 'receipt: printed' : `receipt: not printed: ${r.reason}`);
        resolve(r);
      };
      const timer = o.timers.setTimeout(
        () => finish({ ok: false, reason: `the printer did not answer in ${PRINT_TIMEOUT_MS} ms` }),
        PRINT_TIMEOUT_MS,
      );
      try {
        w.webContents.print(
          {
            silent: true,
            printBackground: false,
            margins: { marginType: 'none' },
            // Microns, as Electron takes a page size.
            pageSize: { width: page.widthMm * 1000, height: Math.round(page.heightMm * 1000) },
            ...(o.settings.printer ? { deviceName: o.settings.printer } : {}),
          },
          (success, failureReason) =>
            finish(
              success
                ? { ok: true }
                : { ok: false, reason: failureReason || 'the printer refused' },
            ),
        );
      } catch (e) {
        finish({ ok: false, reason: (e as Error).message });
      }
    });
}
