// The one error type hub and cloud services throw, by kind, and the HTTP status each kind maps to
// at the edge. A service says what went wrong (`conflict`, code `slot_taken`); only the HTTP layer
// turns it into a status and the API's one error shape `{ error: { code, message, field? } }`.
// One code per meaning, on both sides: a screen can switch on `code` whichever server answered.

export const ERROR_KINDS = {
  /** The request is malformed: a field has the wrong type or format. */
  bad_input: 400,
  /** Not signed in, or the token / code / password is wrong or expired. */
  unauthenticated: 401,
  /** Money was not taken: the payment channel declined. */
  payment_declined: 402,
  /** Signed in, but this caller may not do this. */
  forbidden: 403,
  not_found: 404,
  /** Conflicts with the current state: the slot is taken, the booking is already cancelled. */
  conflict: 409,
  /** Was there once and no longer is: an expired request. */
  gone: 410,
  /** Well-formed but breaks a rule: a booking outside the window, a refund over what was paid. */
  invalid: 422,
  /** Too many tries; `retryAfterSeconds` says when to try again. */
  rate_limited: 429,
  /** Something the server depends on did not answer: a lock, a gateway, the SMS provider. */
  unavailable: 503,
} as const;
export type ErrorKind = keyof typeof ERROR_KINDS;

export class DomainError extends Error {
  override readonly name = 'DomainError';
  constructor(
    readonly kind: ErrorKind,
    readonly code: string,
    message: string,
    readonly field?: string,
    /** For `rate_limited` and `unavailable`: when asking again makes sense. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }

  get status(): number {
    return ERROR_KINDS[this.kind];
  }
}

/** `booking_not_found`, "no booking with id 42": the one shape of every not-found. */
export const notFound = (what: string, id: string, field?: string) =>
  new DomainError(
    'not_found',
    `${what}_not_found`,
    `no ${what.replaceAll('_', ' ')} with id ${id}`,
    field,
  );

/** The API's one error body. */
export interface ApiErrorBody {
  error: { code: string; message: string; field?: string };
}
