// The API's one error shape, `{ error: { code, message, field? } }`, from what services and
// parsers throw (`errorAnswer`, shared with the cloud service). A 500 here means a bug; it is
// logged with its stack.
import type { ErrorRequestHandler, Response } from 'express';
import { errorAnswer, pickLanguage, type ApiErrorBody } from '@roomhub/shared-types';
import { logger } from '../log';

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

export const errorHandler: ErrorRequestHandler = (err: unknown, req, res, _next) => {
  if (res.headersSent) return;
  // In the caller's language: zh-CN when its Accept-Language asks for Chinese first.
  const known = errorAnswer(err, pickLanguage(req.get('accept-language')));
  if (!known) {
    logger().error({ err, method: req.method, path: req.path }, 'unhandled error');
    return sendError(res, 500, 'internal', 'something went wrong on the hub; it has been logged');
  }
  if (known.retryAfterSeconds !== undefined)
    res.set('Retry-After', String(known.retryAfterSeconds));
  res.status(known.status).json(known.body);
};
