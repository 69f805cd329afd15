// The OpenAPI 3.1 document of a server, made from its route specs and the same zod schemas it
// validates with, so the documentation cannot drift from what the server accepts.
import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import type { RouteSpec } from './route-spec';

const ErrorSchema = z.object({
  error: z.object({ code: z.string(), message: z.string(), field: z.string().optional() }),
});
const error = (description: string) => ({
  description,
  content: { 'application/json': { schema: ErrorSchema } },
});

function whoMay(access: Exclude<RouteSpec['access'], 'anyone'>): string {
  if (typeof access === 'string') return access;
  return [...access.staff, ...(access.screens ?? []).map((s) => `a paired ${s} screen`)].join(', ');
}

export function openApiDocument(
  specs: readonly RouteSpec[],
  info: { title: string; description: string },
): object {
  const registry = new OpenAPIRegistry();
  for (const r of specs) {
    registry.registerPath({
      method: r.method,
      path: r.path.replace(/:(\w+)/g, '{$1}'),
      summary: r.summary,
      tags: [r.tag],
      request: {
        ...(r.params ? { params: r.params } : {}),
        ...(r.query instanceof z.ZodObject ? { query: r.query } : {}),
        ...(r.body ? { body: { content: { 'application/json': { schema: r.body } } } } : {}),
      },
      responses: {
        [r.status ?? 200]: { description: 'Success' },
        400: error('Invalid input: the field and the rule'),
        ...(r.access === 'anyone' ? {} : { 401: error('Sign in first') }),
        ...(r.access === 'anyone' ? {} : { 403: error(`Only ${whoMay(r.access)} may do this`) }),
        404: error('Not found'),
        409: error('Conflict with the current state'),
        422: error('Breaks a rule'),
      },
    });
  }
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: { ...info, version: '0.1.0' },
    servers: [{ url: '/' }],
  });
}
