// The cloud API's one error shape, `{ error: { code, message, field? } }`, and the zod parse that
// turns bad input into a 400 naming the field. Nothing here knows about routes.
import type { ErrorRequestHandler } from 'express';
import type { z } from 'zod';

export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

/** Parses input at the edge; the first issue becomes a 400 naming its field. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const result = schema.safeParse(input ?? {});
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = issue && issue.path.length > 0 ? issue.path.join('.') : undefined;
  throw new ApiError(
    400,
    'invalid_input',
    `${field ? `${field}: ` : ''}${issue?.message ?? 'invalid input'}`,
    field,
  );
}

export const errorHandler =
  (log: (error: unknown) => void): ErrorRequestHandler =>
  (error: unknown, _req, res, _next) => {
    if (error instanceof ApiError) {
      res.status(error.status).json({
        error: {
          code: error.code,
          message: error.message,
          ...(error.field ? { field: error.field } : {}),
        },
      });
      return;
    }
    // body-parser: malformed JSON or an oversized body is the caller's fault.
    const status = (error as { status?: unknown; type?: unknown }).status;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      res.status(status).json({
        error: { code: 'invalid_body', message: 'the body must be JSON within the size limit' },
      });
      return;
    }
    log(error);
    res.status(500).json({ error: { code: 'internal', message: 'something went wrong' } });
  };
