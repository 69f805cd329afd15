// The API's one error shape, `{ error: { code, message, field? } }`, and the mapping from what
// services and parsers throw to it, as on the hub: a DomainError answers its kind's status, a
// body the parser refused answers 400 or 413, anything else is a bug, logged and answered 500.
import type { ErrorRequestHandler, Response } from 'express';
import type { z } from 'zod';
import { DomainError, type ApiErrorBody } from '@roomhub/shared-types';

export function sendError(
  res: Response,
  status: number,
  code: string,
  message: string,
  field?: string,
): void {
  const body: ApiErrorBody = { error: { code, message, ...(field ? { field } : {}) } };
  res.status(status).json(body);
}

/** Parses input at the edge; the first issue becomes a 400 naming its field and the rule. */
export function parseWith<S extends z.ZodType>(
  schema: S,
  value: unknown,
  where: 'body' | 'query' | 'path' | 'header',
): z.output<S> {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  const field = issue.path.length ? issue.path.map(String).join('.') : undefined;
  const message = field ? `${field}: ${issue.message}` : `${where}: ${issue.message}`;
  throw new DomainError('bad_input', 'invalid_input', message, field);
}

export const errorHandler =
  (log: (error: unknown) => void): ErrorRequestHandler =>
  (err: unknown, _req, res, _next) => {
    if (res.headersSent) return;
    if (err instanceof DomainError) {
      if (err.retryAfterSeconds !== undefined) {
        res.set('Retry-After', String(err.retryAfterSeconds));
      }
      return sendError(res, err.status, err.code, err.message, err.field);
    }
    const e = err as { type?: string; status?: number; message?: string };
    if (e.type === 'entity.parse.failed')
      return sendError(res, 400, 'invalid_json', 'the body is not valid JSON');
    if (e.type === 'entity.too.large')
      return sendError(res, 413, 'body_too_large', 'the body is too large');
    if (e.type === 'charset.unsupported' || e.type === 'encoding.unsupported') {
      return sendError(res, 415, 'unsupported_encoding', e.message ?? 'unsupported body encoding');
    }
    if (typeof e.status === 'number' && e.status >= 400 && e.status < 500) {
      return sendError(res, e.status, 'bad_request', e.message ?? 'bad request');
    }
    log(err);
    sendError(
      res,
      500,
      'internal',
      'something went wrong in the cloud service; it has been logged',
    );
  };
