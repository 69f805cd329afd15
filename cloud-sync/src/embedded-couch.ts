// The embedded CouchDB-compatible server: express-pouchdb over pouchdb-node, one LevelDB folder
// per database under `dir`. It stands in for the cloud's Apache CouchDB 3 on a single machine
// (`npm start`, tests, benches). It speaks the part of the CouchDB HTTP API that PouchDB
// replication uses; it must never be the only copy of anything a real deployment cares about.
import { mkdir } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { listen } from './http-listen';
import path from 'node:path';
import expressPouchDB from 'express-pouchdb';
import PouchDB from 'pouchdb-node';

export interface EmbeddedCouchOptions {
  /** Folder holding one LevelDB folder per database. Created if missing. */
  dir: string;
  host?: string;
  /** 0 picks a free port. */
  port?: number;
}

export interface EmbeddedCouch {
  /** Base URL without a trailing slash, e.g. `http://127.0.0.1:5984`. */
  url: string;
  close(): Promise<void>;
}

export async function startEmbeddedCouch(options: EmbeddedCouchOptions): Promise<EmbeddedCouch> {
  const { dir, host = '127.0.0.1', port = 0 } = options;
  await mkdir(dir, { recursive: true });
  // The trailing separator makes the prefix a folder, so each database is `<dir>/<name>`.
  const Local = PouchDB.defaults({ prefix: path.resolve(dir) + path.sep });
  // 'minimumForPouchDB' serves the replication endpoints and writes no config.json or log.txt.
  // express-pouchdb is an express 4 app that assigns `req.query`; mounted inside express 5 (where
  // `req.query` is a getter) its POST _changes breaks, so it serves the HTTP server directly.
  const couch = expressPouchDB(Local, { mode: 'minimumForPouchDB' });

  const http = await listen(withSelectorFilter(couch), host, port);
  const url = http.url;

  let closing: Promise<void> | undefined;
  return {
    url,
    close() {
      closing ??= (async () => {
        await http.close();
        await closeOpenDatabases(Local);
      })();
      return closing;
    },
  };
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
