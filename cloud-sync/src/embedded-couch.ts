// The embedded CouchDB-compatible server: express-pouchdb over pouchdb-node, one LevelDB folder
// per database under `dir`. It stands in for the cloud's Apache CouchDB 3 on a single machine
// (`npm start`, tests, benches) and is closed as CouchDB 3 is: an admin generated at the first
// start (`admin.json`, mode 0600), users in `_users`, per-database `_security` and
// `validate_doc_update` (couch-gate.ts decides who may do what; express-pouchdb keeps `_security`
// and runs the validate functions). It speaks the part of the CouchDB HTTP API that PouchDB
// replication and the cloud service use; it must never be the only copy of anything a real
// deployment cares about.
//
// pouchdb-node is patched (patches/, applied on install): its map/reduce compiles each view
// function once rather than in a new context per document, and keeps one queue of view work per
// server started in the process, not one per view name across all of them (two servers, as tests
// start them one after another, have views of the same names: a view update cut off when one server
// closed held every later server's reads of that view for good). Reads of a view run side by side,
// as CouchDB serves them (one at a time, 200 readers of one store's view waited up to 5 s), and
// readers that arrive while an update of the view waits to start share it. `_all_docs` with keys
// (and so every view read with include_docs) looks each key up as a document read does, not through
// a read stream per key. Closing waits for the server's view updates under way (`viewWorkDone`), so
// an index is not cut off halfway.
import { mkdir } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { listen } from './http-listen';
import path from 'node:path';
import expressPouchDB from 'express-pouchdb';
import { getOrCreateDB } from 'express-pouchdb/lib/create-or-delete-dbs.js';
import PouchDB from 'pouchdb-node';
import { loadOrCreateAdmin, type Credentials } from './couch-admin';
import { createCouchGate, isDatabaseName, type SecurityObject } from './couch-gate';
import { couchError, sendJson } from './couch-wire';
import { CouchUsers, type UsersDb } from './couch-users';

/** The folder the server's code (and its node_modules) lives in. */
const CODE_FOLDER = path.resolve(import.meta.dirname, '..', '..');

export interface EmbeddedCouchOptions {
  /** Folder holding one LevelDB folder per database, `_users` and `admin.json`. Created if missing. */
  dir: string;
  /** The address it listens on; loopback unless told otherwise. */
  host?: string;
  /** 0 picks a free port. */
  port?: number;
}

export interface EmbeddedCouch {
  /** Base URL without credentials or a trailing slash, e.g. `http://127.0.0.1:5984`. */
  url: string;
  /** The same URL with the admin's credentials: for provisioning, never for a hub. */
  adminUrl: string;
  admin: Credentials;
  /** True when this start generated the admin (`admin.json` did not exist). */
  adminCreated: boolean;
  /** Where the admin's credentials are kept. */
  adminFile: string;
  close(): Promise<void>;
}

export async function startEmbeddedCouch(options: EmbeddedCouchOptions): Promise<EmbeddedCouch> {
  const { dir, host = '127.0.0.1', port = 0 } = options;
  await mkdir(dir, { recursive: true });
  const folder = path.resolve(dir);
  const { admin, created, file } = await loadOrCreateAdmin(folder);
  // The trailing separator makes the prefix a folder, so each database is `<dir>/<name>`.
  const Local = PouchDB.defaults({ prefix: folder + path.sep });
  // 'minimumForPouchDB' serves the replication endpoints and writes no config.json or log.txt;
  // `_security` and validate_doc_update are added, temporary views (code from the request, run
  // in this process) are left out, as CouchDB 3 left them out. Answers are not gzipped, as
  // CouchDB's are not: a gzip stream holds back the change feed's heartbeat newlines, and a
  // client can then not tell a quiet feed from a dead connection.
  // express-pouchdb is an express 4 app that assigns `req.query`; mounted inside express 5 (where
  // `req.query` is a getter) its POST _changes breaks, so it serves the HTTP server directly.
  const couch = expressPouchDB(Local, {
    mode: 'minimumForPouchDB',
    overrideMode: {
      include: ['routes/security', 'validation'],
      exclude: ['routes/temp-views', 'routes/session-stub', 'compression'],
    },
  });
  couch.dbWrapper.registerWrapper((_name, db, next) => {
    keepReplicatedRevisions(db as unknown as BulkDocsTarget);
    next();
  });
  // Outside express-pouchdb's list of databases (the base constructor, not `Local`), so no
  // request reaches it but through the gate's `/_users`.
  const usersDb = new PouchDB(path.join(folder, '_users'));
  const users = new CouchUsers({ db: usersDb as unknown as UsersDb, admin });

  const securityOf = new Map<string, Promise<SecurityObject | undefined>>();
  const readSecurity = async (name: string): Promise<SecurityObject | undefined> => {
    const names = await (Local as unknown as { allDbs(): Promise<string[]> }).allDbs();
    if (!names.includes(name)) return undefined;
    // The handle express-pouchdb serves the database with, wrapped as it wraps it.
    const db = await getOrCreateDB(Local, name);
    await couch.dbWrapper.wrap(name, db);
    return (
      (await (db as unknown as { getSecurity(): Promise<SecurityObject> }).getSecurity()) ?? {}
    );
  };
  const gate = createCouchGate({
    authenticate: (req) => users.authenticate(req),
    users: (req, res, docId) => users.handle(req, res, docId),
    security(name) {
      let known = securityOf.get(name);
      if (!known) {
        known = readSecurity(name);
        known.catch(() => securityOf.delete(name));
        securityOf.set(name, known);
      }
      return known;
    },
    forget: (name) => securityOf.delete(name),
    // Longest first: the code's folder may hold the data's. Stack traces name the code's.
    hidden: [folder, CODE_FOLDER].sort((a, b) => b.length - a.length),
    next: withDatabaseList(Local, withSelectorFilter(couch)),
  });

  const http = await listen(gate, host, port);
  const url = http.url;
  const adminUrl = new URL(url);
  adminUrl.username = admin.name;
  adminUrl.password = admin.password;

  let closing: Promise<void> | undefined;
  return {
    url,
    adminUrl: adminUrl.toString().replace(/\/+$/, ''),
    admin,
    adminCreated: created,
    adminFile: file,
    close() {
      closing ??= (async () => {
        await http.close();
        await viewWorkDone(Local);
        await closeOpenDatabases(Local);
        await usersDb.close().catch(() => undefined);
      })();
      return closing;
    },
  };
}

interface BulkDocsTarget {
  bulkDocs(body: unknown, opts?: unknown, callback?: unknown): unknown;
}

/**
 * A replicated write (`_bulk_docs` with `new_edits: false`) names each document's revision history
 * in `_revisions`. pouchdb-validation, before it runs the validate functions, replaces that with
 * the history of the revision already stored, so the new revision lands on no branch and the
 * write is answered 201 but dropped: after its first version, no hub document changed in the
 * cloud. Registered after express-pouchdb's validation wrapper, this runs first and pins each
 * document's own `_revisions` so the validation's overwrite is ignored.
 */
function keepReplicatedRevisions(db: BulkDocsTarget): void {
  const bulkDocs = db.bulkDocs.bind(db);
  db.bulkDocs = (body: unknown, opts?: unknown, callback?: unknown) => {
    const options = typeof opts === 'object' && opts !== null ? opts : {};
    const docs: unknown = Array.isArray(body) ? body : (body as { docs?: unknown } | null)?.docs;
    const newEdits =
      'new_edits' in options
        ? (options as { new_edits?: unknown }).new_edits
        : (body as { new_edits?: unknown } | null)?.new_edits;
    if (newEdits === false && Array.isArray(docs)) {
      for (const doc of docs) {
        if (typeof doc !== 'object' || doc === null) continue;
        const revisions = (doc as { _revisions?: unknown })._revisions;
        Object.defineProperty(doc, '_revisions', {
          get: () => revisions,
          set: () => {},
          enumerable: revisions !== undefined,
          configurable: true,
        });
      }
    }
    return bulkDocs(body, opts, callback);
  };
}

/** How long closing waits for the view work under way before it closes the databases anyway. */
const VIEW_WORK_WAIT_MS = 10_000;

/**
 * Waits for the views being brought up to date (after a read that did not wait for them, or a
 * warming) to finish, for a while: a database closed under an index being written leaves that
 * work neither done nor failed.
 */
async function viewWorkDone(Local: ReturnType<typeof PouchDB.defaults>): Promise<void> {
  const done = (Local as unknown as { viewWorkDone?: () => Promise<unknown> }).viewWorkDone;
  if (!done) return;
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    done.call(Local),
    new Promise((resolve) => (timer = setTimeout(resolve, VIEW_WORK_WAIT_MS))),
  ]);
  clearTimeout(timer);
}

/** Closes the LevelDB handles express-pouchdb opened, so the folder can be reopened or removed. */
async function closeOpenDatabases(Local: ReturnType<typeof PouchDB.defaults>): Promise<void> {
  // express-pouchdb caches one handle per database on the constructor it serves.
  const cache = (Local as unknown as { __dbCacheMap?: Map<string, PouchDB.Database> }).__dbCacheMap;
  const open = [...(cache?.values() ?? []), new Local('pouch__all_dbs__')];
  cache?.clear();
  await Promise.all(
    open.map(async (db) => {
      try {
        await db.close();
      } catch {
        // Already closed: nothing to release.
      }
    }),
  );
}

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * `GET /_all_dbs` (the gate lets admins only this far) lists databases by their CouchDB names.
 * pouchdb-all-dbs also records every database any PouchDB constructor of the process opened, by
 * its path (`_users` here; a hub's local databases when a server once ran inside the hub): those
 * are not databases of this server, and a path must not leave it.
 */
function withDatabaseList(Local: ReturnType<typeof PouchDB.defaults>, next: Handler): Handler {
  return (req, res) => {
    const pathname = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' || pathname !== '/_all_dbs') {
      next(req, res);
      return;
    }
    (Local as unknown as { allDbs(): Promise<string[]> })
      .allDbs()
      .then((names) => sendJson(res, 200, names.filter(isDatabaseName).sort()))
      .catch(() => sendJson(res, 500, couchError('unknown_error', 'the list is unavailable')));
  };
}

/**
 * express-pouchdb 4 passes `doc_ids` from a POST _changes body to PouchDB but drops `selector`,
 * which CouchDB 2+ filters by (`filter=_selector`). This reads that body first and hands the
 * selector over as a query option; express 4 keeps a `req.query` that is already set.
 */
function withSelectorFilter(couch: Handler): Handler {
  return (req, res) => {
    const url = new URL(req.url ?? '/', 'http://embedded');
    const isSelectorChanges =
      req.method === 'POST' &&
      url.pathname.endsWith('/_changes') &&
      url.searchParams.get('filter') === '_selector';
    if (!isSelectorChanges) {
      couch(req, res);
      return;
    }
    let raw = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (raw += chunk));
    req.on('error', () => res.destroy());
    req.on('end', () => {
      let body: { selector?: unknown };
      try {
        body = JSON.parse(raw || '{}') as typeof body;
      } catch {
        res.writeHead(400, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ error: 'bad_request', reason: 'invalid UTF-8 JSON' }));
        return;
      }
      const withParsed = req as IncomingMessage & {
        query: Record<string, unknown>;
        body: unknown;
        _body: boolean;
      };
      withParsed.query = { ...Object.fromEntries(url.searchParams), selector: body.selector };
      withParsed.body = body;
      // body-parser skips a request whose body was already read.
      withParsed._body = true;
      couch(req, res);
    });
  };
}
