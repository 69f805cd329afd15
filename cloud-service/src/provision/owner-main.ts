// `npm run owner -- add <phone> --store <storeId>`: the platform's admin says who runs a store.
// The owner is known by phone and signs in to the remote view with a code texted there
// (`POST /api/owner/login` with `{ phone, code }`); `add` links stores to the phone, `remove`
// unlinks them, `list` shows every link. The links live in `registry`, which the admin alone
// writes, so COUCHDB_URL holds the admin's credentials, as for `npm run provision`; unset, the
// embedded server `npm start` runs is used (its admin file in COUCH_DATA_DIR, `data/cloud`).
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { changeOwnerLink, ownerLinks } from '../auth/owner-links';
import { createCouchClient } from '../couch';

const USAGE = [
  'usage: npm run owner -- add <phone> --store <storeId> [--store <storeId>]...',
  '       npm run owner -- remove <phone> --store <storeId>...',
  '       npm run owner -- list',
  "COUCHDB_URL: the CouchDB with its admin's credentials (default: the embedded server of npm start)",
].join('\n');

let parsed: ReturnType<typeof parse>;
function parse() {
  return parseArgs({
    options: { store: { type: 'string', multiple: true, default: [] } },
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
const stores = parsed.values.store;
const valid =
  (command === 'list' && phone === undefined) ||
  ((command === 'add' || command === 'remove') &&
    phone !== undefined &&
    extra.length === 0 &&
    stores.length > 0);
if (!valid) {
  console.error(USAGE);
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

try {
  if (command === 'list') {
    const links = await ownerLinks(couch);
    if (links.length === 0) console.log('No owners linked to stores yet.');
    for (const link of links) console.log(`${link.phone}  ${link.storeIds.join(', ') || '-'}`);
  } else {
    const link = await changeOwnerLink(
      couch,
      { phone: phone!, ...(command === 'add' ? { add: stores } : { remove: stores }) },
      Date.now(),
    );
    console.log(
      `Owner ${link.phone} runs ${link.storeIds.length > 0 ? link.storeIds.join(', ') : 'no store now'}.`,
    );
    if (command === 'add') {
      console.log(
        '  They sign in with a code texted to that phone: POST /api/auth/sms/send { phone }, then POST /api/owner/login { phone, code }.',
      );
    }
  }
} catch (error) {
  console.error(`owner ${command} failed: ${(error as Error).message}`);
  process.exit(1);
}
