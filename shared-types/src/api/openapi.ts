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

/** Each status a route answers, with the error codes it may carry. */
function responses(r: RouteSpec): Record<number, object> {
  const codes = (status: keyof NonNullable<RouteSpec['errors']>, always: string[] = []) => {
    const all = [...always, ...(r.errors?.[status] ?? [])];
    return all.length ? ` (codes: ${all.join(', ')})` : '';
  };
  const input = !!(r.body || r.query || r.params);
  const out: Record<number, object> = { [r.status ?? 200]: { description: 'Success' } };
  if (input || r.errors?.[400]) {
    const always = r.body ? ['invalid_input', 'invalid_json'] : ['invalid_input'];
    out[400] = error(`Invalid input: the field and the rule${codes(400, always)}`);
  }
  if (r.body) out[415] = error('The body is not JSON (code: unsupported_media_type)');
  if (r.errors?.[401]) out[401] = error(`Not proven${codes(401)}`);
  if (r.access !== 'anyone') {
    out[401] = error(`Sign in first${codes(401, ['sign_in_required', 'sign_in_expired'])}`);
    out[403] = error(`Only ${whoMay(r.access)} may do this${codes(403, ['not_allowed'])}`);
  } else if (r.errors?.[403]) {
    out[403] = error(`Refused${codes(403)}`);
  }
  if (r.params || r.errors?.[404]) out[404] = error(`Not found${codes(404)}`);
  if (r.errors?.[409]) out[409] = error(`Conflict with the current state${codes(409)}`);
  if (r.errors?.[410]) out[410] = error(`No longer there${codes(410)}`);
  if (r.errors?.[422]) out[422] = error(`Breaks a rule${codes(422)}`);
  if (r.errors?.[429]) out[429] = error(`Too many tries; see Retry-After${codes(429)}`);
  if (r.errors?.[503]) out[503] = error(`Something it depends on did not answer${codes(503)}`);
  return out;
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
      responses: responses(r),
    });
  }
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: { ...info, version: '0.1.0' },
    servers: [{ url: '/' }],
  });
}
