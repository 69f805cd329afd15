// The OpenAPI document, generated from the same route table and zod schemas the hub validates with.
import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import type { RouteDef } from './routes';

const ErrorSchema = z.object({
  error: z.object({ code: z.string(), message: z.string(), field: z.string().optional() }),
});

export function openApiDocument(defs: RouteDef[]): object {
  const registry = new OpenAPIRegistry();
  for (const r of defs) {
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
        400: {
          description: 'Invalid input: the field and the rule',
          content: { 'application/json': { schema: ErrorSchema } },
        },
        ...(r.staffOnly ? { 403: { description: 'Staff only' } } : {}),
        404: { description: 'Not found', content: { 'application/json': { schema: ErrorSchema } } },
        409: {
          description: 'Conflict with the current state',
          content: { 'application/json': { schema: ErrorSchema } },
        },
        422: {
          description: 'Breaks a booking rule',
          content: { 'application/json': { schema: ErrorSchema } },
        },
      },
    });
  }
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'Room hub API',
      version: '0.1.0',
      description: 'The in-store hub of a self-service tea and chess room.',
    },
    servers: [{ url: '/' }],
  });
}
