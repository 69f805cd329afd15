// Printing the receipt: through the desktop app's bridge when the kiosk runs in it (silently, to
// the receipt printer), with the browser's own print otherwise. Never throws and never waits
// forever: a printer that is absent or stuck is an outcome the screen says in a line, while the
// door code stays on it.
import {
  SHELL_BRIDGE,
  type ReceiptPage,
  type ReceiptSettings,
  type ShellBridge,
} from '@roomhub/shared-types';

/** `printed`: the shell's printer took it; `sent`: the browser's print ran (it cannot tell more). */
export type PrintOutcome = 'printed' | 'sent' | 'failed';

/** A printer that has not answered by then is given up on (the shell gives up on it too). */
export const PRINT_WAIT_MS = 30_000;

export const DEFAULT_RECEIPT_SETTINGS: ReceiptSettings = { paperMm: 80, printAfterPayment: false };

/** The desktop app's bridge, when the kiosk runs in it. */
export function shellBridge(): ShellBridge | null {
  const bridge = (window as unknown as Record<string, unknown>)[SHELL_BRIDGE];
  return bridge && typeof bridge === 'object' ? (bridge as ShellBridge) : null;
}

/** The kiosk's receipt settings from the shell; the defaults (80 mm, not by itself) without one. */
export async function receiptSettings(bridge = shellBridge()): Promise<ReceiptSettings> {
  if (!bridge) return DEFAULT_RECEIPT_SETTINGS;
  try {
    return await bridge.receiptSettings();
  } catch {
    return DEFAULT_RECEIPT_SETTINGS;
  }
}

export async function printReceipt(
  page: ReceiptPage,
  bridge = shellBridge(),
  waitMs = PRINT_WAIT_MS,
): Promise<PrintOutcome> {
  if (!bridge) {
    try {
      window.print();
      return 'sent';
    } catch {
      return 'failed';
    }
  }
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<PrintOutcome>((resolve) => {
    timer = setTimeout(() => resolve('failed'), waitMs);
  });
  const asked = bridge.printReceipt(page).then(
    (r): PrintOutcome => (r.ok ? 'printed' : 'failed'),
    (): PrintOutcome => 'failed',
  );
  try {
    return await Promise.race([asked, late]);
  } finally {
    clearTimeout(timer);
  }
}
