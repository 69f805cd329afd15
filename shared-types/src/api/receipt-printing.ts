// The kiosk's receipt printer as the page sees it: the bridge the desktop app (hub-app/src/electron)
// puts in the kiosk's window, what the page asks it and what it answers. A plain browser has no
// bridge; the page prints with window.print() there. Types and names only: no I/O.
import { z } from 'zod';

/** The bridge's name on the page's `window` (the desktop app's preload sets it). */
export const SHELL_BRIDGE = 'roomhubShell';

/** Thermal receipt paper: 58 mm or 80 mm wide. */
export const ReceiptPaperSchema = z.union([z.literal(58), z.literal(80)], {
  error: 'must be 58 or 80 (mm of receipt paper)',
});
export type ReceiptPaper = z.infer<typeof ReceiptPaperSchema>;

/** One receipt's page, as laid out by the kiosk: the paper's width and the receipt's length. */
export const ReceiptPageSchema = z
  .object({
    widthMm: ReceiptPaperSchema,
    heightMm: z
      .number({ error: 'heightMm must be a number of millimetres' })
      .min(20, 'heightMm must be at least 20')
      .max(2000, 'heightMm must be at most 2000'),
  })
  .strict();
export type ReceiptPage = z.infer<typeof ReceiptPageSchema>;

/** The kiosk's receipt settings (the desktop app's `shell.json`, `receipt`). */
export interface ReceiptSettings {
  paperMm: ReceiptPaper;
  /** Print a receipt by itself once a walk-in is paid; off unless set. */
  printAfterPayment: boolean;
}

export type ReceiptPrinted = { ok: true } | { ok: false; reason: string };

export interface ShellBridge {
  receiptSettings(): Promise<ReceiptSettings>;
  /** Prints the page as it is now (its print view) to the receipt printer, without a dialog. */
  printReceipt(page: ReceiptPage): Promise<ReceiptPrinted>;
}
