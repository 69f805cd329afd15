// `npm run cloud-backup -- save <file>` writes a backup of the cloud's databases to a new file;
// `npm run cloud-backup -- restore <file>` puts one back into an empty CouchDB (then run
// `npm run provision -- --cloud` for its users and `_security`; the cloud holding the platform's
// credential secures `platform` again as it starts). To save, COUCHDB_URL holds the cloud user's
// credentials and CLOUD_PLATFORM_COUCHDB_URL the platform's, which alone may read `platform`
// (unset, COUCHDB_URL reads it too: an admin's may); to restore, COUCHDB_URL holds the admin's.
import { resolve } from 'node:path';
import { PLATFORM_DB } from '../platform-store';
import { restoreBackupFile, writeBackupFile } from './cloud-backup';

const USAGE = [
  'usage: npm run cloud-backup -- save <file>',
  '       npm run cloud-backup -- restore <file>',
  'COUCHDB_URL: the CouchDB with credentials (the cloud user to save, the admin to restore)',
  `CLOUD_PLATFORM_COUCHDB_URL: to save, the platform's credentials, which may read ${PLATFORM_DB} (default: COUCHDB_URL)`,
].join('\n');

const [command, fileArg] = process.argv.slice(2);
const couchUrl = process.env.COUCHDB_URL;
if (!couchUrl || !fileArg || (command !== 'save' && command !== 'restore')) {
  console.error(USAGE);
  process.exit(2);
}
const file = resolve(process.env.INIT_CWD ?? process.cwd(), fileArg);
try {
  const summary =
    command === 'save'
      ? await writeBackupFile(
          { cloud: couchUrl, platform: process.env.CLOUD_PLATFORM_COUCHDB_URL ?? couchUrl },
          file,
          { at: new Date() },
        )
      : await restoreBackupFile(couchUrl, file);
  for (const { db, docs } of summary.dbs) console.log(`${db}: ${docs} documents`);
  if (command === 'restore' && !summary.dbs.some((d) => d.db === PLATFORM_DB)) {
    console.log(
      `the backup holds no ${PLATFORM_DB} database: the platform's audit trail is not in it`,
    );
  }
  console.log(`${command === 'save' ? 'saved to' : 'restored from'} ${file}`);
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}
