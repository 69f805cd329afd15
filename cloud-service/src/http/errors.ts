// The API's one error shape, `{ error: { code, message, field? } }`, from what services and
// parsers throw (`errorAnswer`, shared with the hub): a DomainError answers its kind's status, a
// body the parser refused 400, 413 or 415; anything else is a bug, logged and answered 500.
import type { ErrorRequestHandler, Response } from 'express';
import { errorAnswer, pickLanguage, type ApiErrorBody } from '@roomhub/shared-types';

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
    const known = errorAnswer(err, pickLanguage(req.get('accept-language')));
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
