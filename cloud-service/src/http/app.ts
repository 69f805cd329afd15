// The cloud's HTTP API (express 5), mounted from the route table as the hub mounts its own: each
// route's params, query and body are parsed with its spec's schemas and its caller proved from the
// bearer token by its access before its handler runs; errors map to the one error shape. The rules
// live in the services; this layer never writes a document.
import express, { type Express, type Request } from 'express';
import { z } from 'zod';
import {
  IdempotencyKeySchema,
  INVOICE_PDF_MAX_BYTES,
  OWNER_INVOICE_ISSUE_PATH,
  MERCHANT_DOCUMENT_CAP_MB,
  openApiDocument,
  parseInput,
} from '@roomhub/shared-types';
import type { SignInService } from '../auth/sign-in';
import type { PlatformAuth } from '../platform/platform-auth';
import type { HubCallers } from '../vouchers/hub-callers';
import { errorHandler, sendError } from './errors';
import { mountPages } from './pages';
import { previewTags, sharePreviewsOf } from '../deals/share-preview';
import { Reply, type CloudAccess, type Callers } from './route';
import { routes, type RouteServices } from './routes';
import type { RouteDef } from './route';
import { requestLog } from '@roomhub/logging';

const IdempotencyHeader = z.object({ key: IdempotencyKeySchema.optional() });

function bearer(req: Request): string | undefined {
  const header = req.get('authorization');
  const match = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
  return match?.[1];
}

/** The caller a route's access asks for, proved from the bearer token; a 401 otherwise. */
async function callerOf(
  signIn: SignInService,
  hubs: HubCallers,
  platform: PlatformAuth,
  def: RouteDef,
  req: Request,
): Promise<Callers[CloudAccess]> {
  const access = def.access;
  if (access === 'customer') return signIn.customerOf(bearer(req));
  // The platform's guard: the staff member, and whether their roles allow the route's action.
  if (access === 'platform') return platform.callerFor(bearer(req), def.action);
  if (access === 'owner') return signIn.ownerOf(bearer(req));
  if (access === 'hub') return hubs.hubOf(req.get('authorization'));
  return null;
}

export function createHttpApp(
  cloud: RouteServices & { log: (error: unknown) => void },
  options: { trustProxy: boolean | number | string },
): Express {
  const app = express();
  app.disable('x-powered-by');
  // Who the caller is (`req.ip`, the per-sender limits) behind the proxies trusted to say so.
  app.set('trust proxy', options.trustProxy);
  app.set('query parser', 'simple');
  // Every request gets an id, on every line logged while it is served, and a line when answered.
  app.use(requestLog());
  // A gateway signs the bytes it sends: its notifications are kept as text, never parsed first.
  app.use('/api/payments/notify', express.text({ type: '*/*', limit: '64kb' }));
  // A merchant's documents are files, sent as they are (the service checks their first bytes).
  app.use(
    '/api/merchant-applications',
    express.raw({
      type: ['image/*', 'application/pdf', 'application/octet-stream'],
      limit: `${MERCHANT_DOCUMENT_CAP_MB}mb`,
    }),
  );
  // So is an invoice the owner issues from afar: up to twice the limit is read, so that a file
  // somewhat too large is refused in the invoice's own words (invoice_pdf_too_large).
  // Read only for a signed-in owner: nobody else gets the cloud to hold megabytes for them.
  app.use(
    OWNER_INVOICE_ISSUE_PATH,
    (req, _res, next) => {
      cloud.signIn.ownerOf(bearer(req)).then(() => next(), next);
    },
    express.raw({ type: 'application/pdf', limit: INVOICE_PDF_MAX_BYTES * 2 }),
  );
  app.use(express.json({ limit: '32kb', strict: true }));

  const defs = routes(cloud);
  for (const def of defs) {
    app[def.method](def.path, async (req, res) => {
      const caller = await callerOf(
        cloud.signIn,
        cloud.platformVouchers.hubs,
        cloud.platform.auth,
        def,
        req,
      );
      const params = def.params ? parseInput(def.params, req.params, 'path') : req.params;
      const query = def.query ? parseInput(def.query, req.query, 'query') : req.query;
      const body = def.body ? parseInput(def.body, req.body ?? {}, 'body') : undefined;
      const idempotencyKey = def.idempotent
        ? parseInput(IdempotencyHeader, { key: req.get('idempotency-key') }, 'header').key
        : undefined;
      const result = await def.handle({ body, query, params, caller, idempotencyKey, req, res });
      // A route that wrote its own answer (a CSV file) has answered.
      if (res.headersSent) return;
      if (result instanceof Reply) res.status(result.status).json(result.body);
      else res.status(def.status ?? 200).json(result);
    });
  }

  const openapi = openApiDocument(defs, {
    title: 'Room hub cloud API',
    description:
      "The cloud service of a self-service tea and chess room chain: the customer mini-program's pages and the owner's remote view.",
  });
  app.get('/api/openapi.json', (_req, res) => {
    res.json(openapi);
  });

  // The customer's pages (ui/dist), beside the API they call; a deal's page with its link preview.
  const previews = sharePreviewsOf(cloud);
  mountPages(app, undefined, {
    headFor: async (req) => {
      const p = await previews.forRequest(req);
      return p ? previewTags(p) : undefined;
    },
  });

  app.use('/api', (req, res) =>
    sendError(res, 404, 'route_not_found', `no route ${req.method} ${req.originalUrl}`),
  );
  app.use(errorHandler(cloud.log));
  return app;
}
