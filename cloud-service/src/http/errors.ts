// The API's one error shape, `{ error: { code, message, field? } }`, from what services and
// parsers throw (`errorAnswer`, shared with the hub): a DomainError answers its kind's status, a
// body the parser refused 400, 413 or 415; CouchDB not answering in time, out of reach or failing
// itself 503 with Retry-After (the cloud is busy, not broken: asking again a little later works);
// anything else is a bug, logged and answered 500.
import type { ErrorRequestHandler, Response } from 'express';
import { DomainError, errorAnswer, pickLanguage, type ApiErrorBody } from '@roomhub/shared-types';
import { CouchError, CouchUnreachable } from '../couch';

/** Seconds a caller waits before asking again when CouchDB is busy. */
const BUSY_RETRY_S = 2;
const UNREACHABLE = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'UND_ERR_SOCKET']);

/** CouchDB did not answer in time, could not be reached, or failed itself. */
export function isStorageBusy(err: unknown): boolean {
  if (err instanceof CouchError) return err.status >= 500;
  if (err instanceof CouchUnreachable) return true;
  const e = err as { name?: unknown; code?: unknown; cause?: { code?: unknown } } | null;
  if (e?.name === 'TimeoutError') return true;
  const code = e?.code ?? e?.cause?.code;
  return typeof code === 'string' && UNREACHABLE.has(code);
}

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

export const errorHandler =
  (log: (error: unknown) => void): ErrorRequestHandler =>
  (err: unknown, req, res, _next) => {
    if (res.headersSent) return;
    // In the caller's language: zh-CN when its Accept-Language asks for Chinese first.
    const lang = pickLanguage(req.get('accept-language'));
    let known: ReturnType<typeof errorAnswer>;
    if (isStorageBusy(err)) {
      log(err);
      known = errorAnswer(
        new DomainError(
          'unavailable',
          'cloud_busy',
          'the cloud is busy; try again in a few seconds',
          undefined,
          BUSY_RETRY_S,
        ),
        lang,
      );
    } else {
      known = errorAnswer(err, lang);
    }
    if (!known) {
      log(err);
      return sendError(
        res,
        500,
        'internal',
        'something went wrong in the cloud service; it has been logged',
      );
    }
    if (known.retryAfterSeconds !== undefined)
      res.set('Retry-After', String(known.retryAfterSeconds));
    res.status(known.status).json(known.body);
  };
