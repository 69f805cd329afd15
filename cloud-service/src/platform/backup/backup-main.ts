// `npm run cloud-backup -- save <file>` writes a backup of the cloud's databases to a new file;
// `npm run cloud-backup -- restore <file>` puts one back into an empty CouchDB (then run
// `npm run provision -- --cloud` for its users and `_security`). COUCHDB_URL holds credentials
// that may read the cloud's databases (save) or the admin's (restore).
import { resolve } from 'node:path';
import { restoreBackupFile, writeBackupFile } from './cloud-backup';

const USAGE = [
  'usage: npm run cloud-backup -- save <file>',
  '       npm run cloud-backup -- restore <file>',
  'COUCHDB_URL: the CouchDB with credentials (the cloud user to save, the admin to restore)',
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
      ? await writeBackupFile(couchUrl, file, { at: new Date() })
      : await restoreBackupFile(couchUrl, file);
  for (const { db, docs } of summary.dbs) console.log(`${db}: ${docs} documents`);
  console.log(`${command === 'save' ? 'saved to' : 'restored from'} ${file}`);
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}
