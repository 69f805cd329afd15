// What the kiosk's page and the desktop app say to each other: the bridge's name on the page's
// `window` and the two questions it asks. Read by the preload (in the page) and the printer (in
// the shell), so neither can drift from the other; the page's side of it is in shared-types
// (receipt-printing.ts), whose name a test holds equal to this one. Names only: imports nothing.
export const SHELL_BRIDGE = 'roomhubShell';

export const BRIDGE_CHANNELS = {
  receiptSettings: 'roomhub:receipt-settings',
  printReceipt: 'roomhub:print-receipt',
} as const;
