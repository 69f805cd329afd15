// The hub's HTTP API (express 5). It resolves who is calling, checks the route's access, parses
// with the route's schemas, calls, and maps errors; the rules live in the services. Also the live
// event stream and the gateways' notification endpoint.
import express, { type Express, type Request, type Response } from 'express';
import { DomainError, openApiDocument, parseInput, type Actor } from '@roomhub/shared-types';
import type { ScannerStatus } from '@roomhub/firmware-bridge';
import type { Hub } from '../hub';
import { notificationRoute } from '../payments/payment.routes';
import { actorOf } from './actor';
import { errorHandler, sendError } from './errors';
import { routes } from './routes';

export function createApp(
  hub: Hub,
  scanners: () => ScannerStatus[] = () => [],
  sync: () => unknown = () => null,
): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');

  // Before the JSON parser: gateways sign the exact bytes they send.
  app.post(...notificationRoute(hub));
  app.use(express.json({ limit: '64kb', strict: true }));

  const defs = routes(hub, scanners, sync);
  for (const def of defs) {
    app[def.method](def.path, async (req: Request, res: Response) => {
      const actor = actorOf(req);
      if (typeof def.access === 'object') staffOnly(actor);
      const params = def.params ? parseInput(def.params, req.params, 'path') : req.params;
      const query = def.query ? parseInput(def.query, req.query, 'query') : req.query;
      const body = def.body ? parseInput(def.body, req.body ?? {}, 'body') : undefined;
      const result = await def.handle({ body, query, params, actor, req, res });
      res.status(def.status ?? 200).json(result);
    });
  }

  const openapi = openApiDocument(defs, {
    title: 'Room hub API',
    description: 'The in-store hub of a self-service tea and chess room.',
  });
  app.get('/api/openapi.json', (_req, res) => {
    res.json(openapi);
  });

  app.get('/api/events', (req, res) => {
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
    });
    res.write('retry: 3000\n\n');
    res.write(
      `event: hello\ndata: ${JSON.stringify({ at: new Date(hub.clock.now()).toISOString() })}\n\n`,
    );
    const off = hub.events.subscribe((e) =>
      res.write(`event: ${e.type}\ndata: ${JSON.stringify(e)}\n\n`),
    );
    const beat = setInterval(() => res.write(': keep-alive\n\n'), 15_000);
    req.on('close', () => {
      clearInterval(beat);
      off();
    });
  });

  app.use('/api', (req, res) =>
    sendError(res, 404, 'route_not_found', `no route ${req.method} ${req.originalUrl}`),
  );
  app.use(errorHandler);
  return app;
}

function staffOnly(actor: Actor): void {
  if (actor.kind !== 'staff')
    throw new DomainError('forbidden', 'staff_only', 'only store staff may do this');
}
