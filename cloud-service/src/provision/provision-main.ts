// `npm run provision -w @roomhub/cloud-service -- --cloud --store <storeId> ...`: the server
// admin provisions, with COUCHDB_URL holding the admin's credentials. `--cloud`: the cloud's
// user, databases and the registry; `--store <id>` (repeatable): a store's databases and its
// hub's user; `--existing-stores`: every `store-<id>` database already on the server (upgrading
// a CouchDB that ran without users). A new password is printed once, inside the COUCHDB_URL its
// user should be given; `--rotate-password` issues new ones for users that exist; `--json` prints
// one JSON line for scripts (the launcher). Running it again changes nothing.
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { createCouchClient } from '../couch';
import { Provisioner, type Provisioned } from './provisioner';

const USAGE =
  'usage: COUCHDB_URL=<url with admin credentials> npm run provision -w @roomhub/cloud-service --' +
  ' [--cloud] [--store <storeId>]... [--existing-stores] [--rotate-password] [--json]';

let args: ReturnType<typeof parse>;
function parse() {
  return parseArgs({
    options: {
      cloud: { type: 'boolean', default: false },
      store: { type: 'string', multiple: true, default: [] },
      'existing-stores': { type: 'boolean', default: false },
      'rotate-password': { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
    },
    strict: true,
  }).values;
}
try {
  args = parse();
} catch (error) {
  console.error(`${(error as Error).message}\n${USAGE}`);
  process.exit(2);
}
const couchUrl = process.env.COUCHDB_URL;
if (!couchUrl || !new URL(couchUrl).username) {
  console.error(`COUCHDB_URL must name the CouchDB with its admin's credentials\n${USAGE}`);
  process.exit(2);
}
if (!args.cloud && args.store.length === 0 && !args['existing-stores']) {
  console.error(USAGE);
  process.exit(2);
}

/** The URL a user connects with: the server's, with that user's credentials. */
function urlFor(user: string, password: string): string {
  const url = new URL(couchUrl!);
  url.username = user;
  url.password = password;
  return url.toString().replace(/\/+$/, '');
}

const provisioner = new Provisioner({
  couch: createCouchClient(couchUrl),
  clock: { now: () => Date.now() },
  newPassword: () => randomBytes(16).toString('hex'),
});
const options = { rotatePassword: args['rotate-password'] };
const results: { what: string; provisioned: Provisioned }[] = [];
try {
  if (args.cloud)
    results.push({ what: 'the cloud', provisioned: await provisioner.cloud(options) });
  const stores = new Set(args.store);
  if (args['existing-stores']) for (const id of await provisioner.existingStores()) stores.add(id);
  for (const storeId of stores) {
    results.push({
      what: `store ${storeId}`,
      provisioned: await provisioner.store(storeId, options),
    });
  }
} catch (error) {
  console.error(`provisioning failed: ${(error as Error).message}`);
  process.exit(1);
}

if (args.json) {
  console.log(
    JSON.stringify({
      users: results.map(({ provisioned: p }) => ({
        user: p.user,
        ...(p.password ? { couchdbUrl: urlFor(p.user, p.password) } : {}),
      })),
    }),
  );
} else {
  console.log(`Provisioned on ${new URL(couchUrl).origin}:`);
  for (const { what, provisioned: p } of results) {
    console.log(
      `  ${what} (user ${p.user}): ${p.changed.length > 0 ? p.changed.join('; ') : 'in place already'}`,
    );
    if (p.password) {
      console.log(`    its COUCHDB_URL, shown only now: ${urlFor(p.user, p.password)}`);
    } else {
      console.log('    password unchanged (--rotate-password issues a new one)');
    }
  }
}
