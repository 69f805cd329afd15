// The desktop app's own settings: `shell.json` in the app's data folder, written by the installer
// (or by hand) on the store's mini-PC, where nobody types environment variables. Which display the
// kiosk and the cashier screens go on, whether the app starts on boot, the kiosk's receipt printer
// (paper width, printing by itself after payment, which printer), and the hub's settings (the
// same names as the README's, `HUB_DEVICES`, `COUCHDB_URL`...). It only reads the file: a file that
// breaks a rule is reported by field and rule, never half-applied.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

export const SETTINGS_FILE = 'shell.json';

export const shellSettingsSchema = z
  .object({
    kioskDisplay: z
      .number({ error: 'kioskDisplay must be a display id (a number)' })
      .int()
      .optional(),
    cashierDisplay: z
      .union([z.literal('off'), z.literal('other'), z.number().int()], {
        error:
          'cashierDisplay must be "off", "other" (any display but the kiosk\'s) or a display id',
      })
      .default('off'),
    startOnBoot: z.boolean({ error: 'startOnBoot must be true or false' }).default(true),
    receipt: z
      .object({
        paperMm: z
          .union([z.literal(58), z.literal(80)], {
            error: 'paperMm must be 58 or 80 (the receipt paper’s width in mm)',
          })
          .default(80),
        printAfterPayment: z
          .boolean({ error: 'printAfterPayment must be true or false' })
          .default(false),
        printer: z
          .string({ error: 'printer must be a printer’s name as the system lists it' })
          .trim()
          .min(1, 'printer must be a printer’s name as the system lists it')
          .max(200)
          .optional(),
      })
      .strict()
      .default({ paperMm: 80, printAfterPayment: false }),
    hub: z
      .record(
        z.string().regex(/^[A-Z][A-Z0-9_]*$/, 'names a setting in capitals, as in the README'),
        z.string({ error: 'each hub setting is text' }),
      )
      .default({}),
  })
  .strict();

export type ShellSettings = z.infer<typeof shellSettingsSchema>;

export type SettingsRead =
  | { ok: true; settings: ShellSettings; file: string }
  | { ok: false; problem: string; file: string };

/** The settings in `dataDir`, the defaults without a file, or what is wrong with the file. */
export function readShellSettings(dataDir: string): SettingsRead {
  const file = join(dataDir, SETTINGS_FILE);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
      return { ok: true, settings: shellSettingsSchema.parse({}), file };
    }
    return { ok: false, problem: `cannot be read: ${(e as Error).message}`, file };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return { ok: false, problem: `is not JSON: ${(e as Error).message}`, file };
  }
  const parsed = shellSettingsSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = issue.path.map(String).join('.') || '(the file)';
    return { ok: false, problem: `${field}: ${issue.message}`, file };
  }
  return { ok: true, settings: parsed.data, file };
}
