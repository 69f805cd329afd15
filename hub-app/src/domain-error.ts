// The one error type services throw. It carries what the HTTP layer needs to answer with the
// API's single error shape, without the services knowing about HTTP.

export type ErrorKind = 'invalid' | 'not_found' | 'conflict' | 'forbidden' | 'unavailable';

export class DomainError extends Error {
  constructor(
    readonly kind: ErrorKind,
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const notFound = (what: string, id: string, field?: string) =>
  new DomainError(
    'not_found',
    `${what}_not_found`,
    `no ${what.replace('_', ' ')} with id ${id}`,
    field,
  );
