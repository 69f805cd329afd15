// The hub's HTTP API (express 5). For every route it proves who is calling (caller.ts), checks the
// route's row of the permission table, limits floods, parses with the route's schemas, calls, and
// maps errors; the rules live in the services. Opened to the store's network (HUB_HOST), it serves
// only paired screens and signed-in staff there, the pairing of a new screen and the payment
// gateway's signed notifications aside.
import express, { type Express, type Request, type Response } from 'express';
import { DomainError, openApiDocument, parseInput, type Actor } from '@roomhub/shared-types';
import type { ScannerStatus } from '@roomhub/firmware-bridge';
import type { Hub } from '../hub';
import type { AfterCommit } from '../db/write-queue';
import { assertMayCall, callerOf, isProven } from './caller';
import { errorHandler, sendError } from './errors';
import { requestLog } from '../log';
import { routeKey } from './permissions';
import { RateLimit } from './rate-limit';
import { routes } from './routes';

/** What the store's network may reach without a screen token or a sign-in. */
const OPEN_TO_NETWORK = new Set(['POST /api/screens/pair', 'POST /api/payments/notify/:method']);

const isLoopback = (address: string | undefined) =>
  !!address && (address === '::1' || address.startsWith('127.') || address === '::ffff:127.0.0.1');

/** A request that carries a body, whatever its type. */
const hasBody = (req: Request) =>
  Number(req.get('content-length') ?? 0) > 0 || req.get('transfer-encoding') !== undefined;

export interface AppOptions {
  scanners?: () => ScannerStatus[];
  sync?: () => unknown;
  /** The hub listens beyond loopback: callers from the network must prove themselves. */
  exposed?: boolean;
}

export function createApp(hub: Hub, opts: AppOptions = {}): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  const limits = new RateLimit(hub.clock);

  // Every request gets an id, on every line logged while it is served, and a line when answered.
  app.use(requestLog());

  // Gateways sign the exact bytes they send: their notifications are read as text, before JSON.
  app.use('/api/payments/notify', express.text({ type: '*/*', limit: '64kb' }));
  app.use(express.json({ limit: '64kb', strict: true }));

  const defs = routes(hub, opts.scanners, opts.sync);
  for (const def of defs) {
    const key = routeKey(def.method, def.path);
    const what = def.summary;
    app[def.method](def.path, async (req: Request, res: Response) => {
      const actor: Actor = callerOf(req, hub);
      if (opts.exposed && !isLoopback(req.socket.remoteAddress) && !isProven(actor)) {
        if (!OPEN_TO_NETWORK.has(key)) {
          return sendError(
            res,
            401,
            'screen_or_staff_only',
            'this hub serves the store’s network only to paired screens and signed-in staff',
          );
        }
      }
      // Every change a staff member asks for is audited, done or refused: in the same write as the
      // change where the route makes one write, else once the route is done.
      const audited = def.method !== 'get' && !def.audited && actor.kind === 'staff';
      const { id, date } = req.params as Record<string, unknown>;
      const target = typeof id === 'string' ? id : typeof date === 'string' ? date : null;
      const entry = (outcome: 'done' | 'refused', after: unknown) => ({
        actor,
        action: key,
        target,
        outcome,
        after,
      });
      let recorded = !audited;
      const write = <T>(work: (afterCommit: AfterCommit) => T) =>
        hub.writes.run((afterCommit) => {
          const r = work(afterCommit);
          if (!recorded) {
            hub.audit.record(entry('done', r));
            recorded = true;
          }
          return r;
        });
      let result: unknown;
      try {
        assertMayCall(def.access, actor, what);
        if (def.perMinute && !isProven(actor)) limits.take(`${key} ${req.ip}`, def.perMinute);
        const params = def.params ? parseInput(def.params, req.params, 'path') : req.params;
        const query = def.query ? parseInput(def.query, req.query, 'query') : req.query;
        if (def.body && hasBody(req) && !req.is('application/json')) {
          throw new DomainError(
            'unsupported_media',
            'unsupported_media_type',
            'send the body as JSON (Content-Type: application/json)',
          );
        }
        const body = def.body ? parseInput(def.body, req.body ?? {}, 'body') : req.body;
        result = await def.handle({ body, query, params, actor, write, req, res });
      } catch (e) {
        if (audited) {
          const code = e instanceof DomainError ? e.code : 'internal';
          await hub.writes
            .run(() => hub.audit.record(entry('refused', { code })))
            .catch(() => undefined);
        }
        throw e;
      }
      if (!recorded) await hub.writes.run(() => hub.audit.record(entry('done', result)));
      if (!def.raw) res.status(def.status ?? 200).json(result);
    });
  }

  // Made at its first request, not at start: it takes a few hundred milliseconds to make.
  let openapi: ReturnType<typeof openApiDocument> | undefined;
  app.get('/api/openapi.json', (_req, res) => {
    openapi ??= openApiDocument(defs, {
      title: 'Room hub API',
      description: 'The in-store hub of a self-service tea and chess room.',
    });
    res.json(openapi);
  });

  app.use('/api', (req, res) =>
    sendError(res, 404, 'route_not_found', `no route ${req.method} ${req.originalUrl}`),
  );
  app.use(errorHandler);
  return app;
}
