// `npm run platform -- add <phone> --role platform_owner`: the platform's admin makes the first
// platform owner, who then adds the rest of the staff in the console. Staff live in `registry`,
// which the admin alone writes, so COUCHDB_URL holds the admin's credentials, as for `npm run
// owner`; unset, the embedded server `npm start` runs is used (its admin file in COUCH_DATA_DIR,
// `data/cloud`). `remove` takes someone off the staff, `list` shows everyone. Each change is in
// the platform's audit trail, made by `cli`.
import { existsSync, readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { PlatformPhoneSchema, PlatformRoleSchema, PLATFORM_ROLES } from '@roomhub/shared-types';
import { createCouchClient } from '../couch';
import { PlatformAudit } from '../platform/platform-audit';
import { changeStaff, listStaff } from '../platform/platform-staff';
import { initPlatformStore, platformStore } from '../platform/platform-store';

const USAGE = [
  'usage: npm run platform -- add <phone> --role <role> [--role <role>]... [--name <name>] [--reason <why>]',
  '       npm run platform -- remove <phone> [--reason <why>]',
  '       npm run platform -- list',
  `roles: ${PLATFORM_ROLES.join(', ')}`,
  "COUCHDB_URL: the CouchDB with its admin's credentials (default: the embedded server of npm start)",
].join('\n');

let parsed: ReturnType<typeof parse>;
function parse() {
  return parseArgs({
    options: {
      role: { type: 'string', multiple: true, default: [] },
      name: { type: 'string' },
      reason: { type: 'string' },
    },
    allowPositionals: true,
    strict: true,
  });
}
try {
  parsed = parse();
} catch (error) {
  console.error(`${(error as Error).message}\n${USAGE}`);
  process.exit(2);
}
const [command, phone, ...extra] = parsed.positionals;
const { role: roleArgs, name, reason } = parsed.values;
const valid =
  (command === 'list' && phone === undefined) ||
  (command === 'add' && phone !== undefined && extra.length === 0 && roleArgs.length > 0) ||
  (command === 'remove' && phone !== undefined && extra.length === 0);
if (!valid) {
  console.error(USAGE);
  process.exit(2);
}
if (phone !== undefined && !PlatformPhoneSchema.safeParse(phone).success) {
  console.error(`phone ${phone}: must be an 11-digit mobile number\n${USAGE}`);
  process.exit(2);
}
const roles = roleArgs.map((r) => PlatformRoleSchema.safeParse(r));
const badRole = roleArgs.find((_, i) => !roles[i]!.success);
if (badRole !== undefined) {
  console.error(`role ${badRole}: must be one of ${PLATFORM_ROLES.join(', ')}`);
  process.exit(2);
}

/** The embedded server's URL with its admin, as `npm start` runs it; undefined if none here. */
function embeddedAdminUrl(): string | undefined {
  const root = resolve(import.meta.dirname, '../../..');
  const typedIn = process.env.INIT_CWD ?? process.cwd();
  const dir = process.env.COUCH_DATA_DIR
    ? resolve(typedIn, process.env.COUCH_DATA_DIR)
    : join(root, 'data/cloud');
  const file = join(dir, 'admin.json');
  if (!existsSync(file)) return undefined;
  const admin = JSON.parse(readFileSync(file, 'utf8')) as { name: string; password: string };
  const url = new URL(`http://127.0.0.1:${process.env.COUCH_PORT ?? 5984}`);
  url.username = admin.name;
  url.password = admin.password;
  return url.toString().replace(/\/+$/, '');
}

const couchUrl = process.env.COUCHDB_URL ?? embeddedAdminUrl();
if (!couchUrl || !new URL(couchUrl).username) {
  console.error(
    `set COUCHDB_URL to the CouchDB with its admin's credentials (no embedded server's admin file found)\n${USAGE}`,
  );
  process.exit(2);
}
const couch = createCouchClient(couchUrl);
const store = platformStore(couch, couchUrl);
const audit = new PlatformAudit({
  clock: { now: () => Date.now() },
  newId: () => randomUUID().replaceAll('-', ''),
});

try {
  await initPlatformStore(store);
  if (command === 'list') {
    const staff = await listStaff(couch);
    if (staff.length === 0) console.log('No platform staff yet.');
    for (const s of staff) {
      console.log(
        `${s.phone}  ${s.name}  ${s.roles.join(', ')}${s.totp ? '' : '  (not enrolled yet)'}`,
      );
    }
  } else if (command === 'add') {
    const wanted = roles.flatMap((r) => (r.success ? [r.data] : []));
    const staff = await changeStaff(
      couch,
      { kind: 'set', phone: phone!, name: name ?? phone!, roles: wanted, by: 'cli' },
      Date.now(),
    );
    await audit.record(couch, {
      actor: 'cli',
      action: 'staff.set',
      target: `staff:${phone!}`,
      reason: reason ?? 'added by the admin on the command line',
      detail: { name: staff!.name, roles: staff!.roles },
    });
    console.log(`${staff!.phone} is platform staff: ${staff!.roles.join(', ')}.`);
    console.log(
      '  They sign in at /platform/ with a code texted to that phone, then scan the QR code with an authenticator app.',
    );
  } else {
    const removed = await changeStaff(
      couch,
      { kind: 'remove', phone: phone!, by: 'cli' },
      Date.now(),
    );
    if (!removed) {
      console.error(`${phone!} is not on the platform staff`);
      process.exit(1);
    }
    await audit.record(couch, {
      actor: 'cli',
      action: 'staff.remove',
      target: `staff:${phone!}`,
      reason: reason ?? 'removed by the admin on the command line',
    });
    console.log(`${phone!} is no longer platform staff.`);
  }
} catch (error) {
  console.error(`platform ${command} failed: ${(error as Error).message}`);
  process.exit(1);
}
