// The embedded server has no `_db_updates`; Apache CouchDB has. This stands in front of the
// embedded server, passes every request through, and answers `GET /_db_updates` (the normal feed:
// since, limit) from the writes it has passed on, so the cloud's follower can be tested on the
// path it takes against CouchDB. Writes that bypass it are, as intended, not reported.
import { request, type IncomingMessage, type ServerResponse } from 'node:http';
import { listen, type Listening } from '../src/http-listen';

export interface DbUpdatesFeed extends Listening {
  /** How many times the feed was read. */
  reads: number;
}

const READS = new Set(['_changes', '_all_docs', '_design', '_find', '_bulk_get', '_revs_diff']);

export async function startDbUpdatesFeed(target: string): Promise<DbUpdatesFeed> {
  const upstream = new URL(target);
  const log: { seq: number; db: string }[] = [];

  const handler = (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://feed');
    if (url.pathname === '/_db_updates' && req.method === 'GET') {
      feed.reads += 1;
      const last = log.at(-1)?.seq ?? 0;
      const sinceText = url.searchParams.get('since') ?? '0';
      const since = sinceText === 'now' ? last : Number(sinceText);
      const limit = Number(url.searchParams.get('limit') ?? Infinity);
      const latest = new Map<string, number>();
      for (const entry of log) if (entry.seq > since) latest.set(entry.db, entry.seq);
      const results = [...latest]
        .map(([db, seq]) => ({ db_name: db, type: 'updated', seq }))
        .sort((a, b) => a.seq - b.seq)
        .slice(0, limit);
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ results, last_seq: results.at(-1)?.seq ?? Math.max(since, 0) }));
      return;
    }
    const [db, second] = url.pathname.split('/').slice(1).map(decodeURIComponent);
    const writes =
      db !== undefined &&
      !db.startsWith('_') &&
      (req.method === 'PUT' || req.method === 'DELETE' || req.method === 'POST') &&
      !(second !== undefined && READS.has(second));
    const onward = request(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers: req.headers,
      },
      (answer) => {
        if (writes && (answer.statusCode ?? 500) < 300) {
          log.push({ seq: (log.at(-1)?.seq ?? 0) + 1, db: db! });
        }
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    onward.on('error', () => res.destroy());
    req.pipe(onward);
  };

  const http = await listen(handler, '127.0.0.1', 0);
  const feed: DbUpdatesFeed = { ...http, reads: 0 };
  return feed;
}
