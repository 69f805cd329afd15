// The one error type hub and cloud services throw, by kind, and the HTTP status each kind maps to
// at the edge. A service says what went wrong (`conflict`, code `slot_taken`); only the HTTP layer
// turns it into a status and the API's one error shape `{ error: { code, message, field? } }`.
// One code per meaning, on both sides: a screen can switch on `code` whichever server answered.
import type { z } from 'zod';
import {
  errorSentence,
  fieldName,
  ownRule,
  plainRules,
  ruleOf,
  type Language,
} from './i18n/messages';

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
  /** The body is not JSON (a form, plain text). */
  unsupported_media: 415,
  /** Too many tries; `retryAfterSeconds` says when to try again. */
  rate_limited: 429,
  /** Something the server depends on did not answer: a lock, a gateway, the SMS provider. */
  unavailable: 503,
} as const;
export type ErrorKind = keyof typeof ERROR_KINDS;

export class DomainError extends Error {
  override readonly name = 'DomainError';
  /** The values its sentence in another language is filled with (i18n/messages.*.json). */
  params: Record<string, string | number> = {};
  /** The sentence to use when not the code's own (a variant, e.g. `start_in_past_now`). */
  sentence?: string;
  /** The input issue behind an `invalid_input`, to say its rule in the reader's language. */
  issue?: z.core.$ZodIssue;

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

  /** Gives the error the values its translated sentence needs, and optionally another sentence. */
  with(params: Record<string, string | number>, sentence?: string): this {
    this.params = { ...this.params, ...params };
    if (sentence) this.sentence = sentence;
    return this;
  }

  /** What a person reads, in `lang`: the zh-CN sentence for its code, or the English message. */
  messageIn(lang: Language): string {
    if (lang === 'en') return this.message;
    if (this.issue) {
      return (
        errorSentence(lang, 'invalid_input', {
          field: fieldName(lang, this.field ?? String(this.params.where ?? 'body')),
          rule: this.ruleIn(lang),
        }) ?? this.message
      );
    }
    return errorSentence(lang, this.sentence ?? this.code, this.params) ?? this.message;
  }

  private ruleIn(lang: Language): string {
    const issue = this.issue!;
    // A rule the schema words itself is kept as written; the standard ones are translated.
    const own = issue.message !== ruleOf(issue, 'en');
    return own ? ownRule(lang, issue.message) : ruleOf(issue, lang);
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
  ).with({ thing: what, id }, 'not_found');

/** The API's one error body. */
export interface ApiErrorBody {
  error: { code: string; message: string; field?: string };
}

/** Parses input at the edge; the first issue becomes a 400 naming its field and the rule. */
export function parseInput<S extends z.ZodType>(
  schema: S,
  value: unknown,
  where: 'body' | 'query' | 'path' | 'header',
): z.output<S> {
  const r = schema.safeParse(value, { error: plainRules, reportInput: true });
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  const field = issue.path.length ? issue.path.map(String).join('.') : undefined;
  const message = field ? `${field}: ${issue.message}` : `${where}: ${issue.message}`;
  const e = new DomainError('bad_input', 'invalid_input', message, field).with({ where });
  e.issue = issue;
  throw e;
}

export interface ErrorAnswer {
  status: number;
  body: ApiErrorBody;
  retryAfterSeconds?: number;
}

const answer = (status: number, code: string, message: string, field?: string): ErrorAnswer => ({
  status,
  body: { error: { code, message, ...(field ? { field } : {}) } },
});

/**
 * What a server answers for something its handlers threw: a DomainError its kind's status, a
 * body the JSON parser refused a 400, 413 or 415. Undefined for anything else: a bug, which the
 * server logs and answers with a 500.
 */
export function errorAnswer(err: unknown, lang: Language = 'en'): ErrorAnswer | undefined {
  if (err instanceof DomainError) {
    return {
      ...answer(err.status, err.code, err.messageIn(lang), err.field),
      ...(err.retryAfterSeconds !== undefined ? { retryAfterSeconds: err.retryAfterSeconds } : {}),
    };
  }
  const e = err as { type?: unknown; status?: unknown; message?: unknown } | null;
  const message = typeof e?.message === 'string' ? e.message : undefined;
  const say = (code: string, english: string) => errorSentence(lang, code, {}) ?? english;
  if (e?.type === 'entity.parse.failed')
    return answer(400, 'invalid_json', say('invalid_json', 'the body is not valid JSON'));
  if (e?.type === 'entity.too.large')
    return answer(413, 'body_too_large', say('body_too_large', 'the body is too large'));
  if (e?.type === 'charset.unsupported' || e?.type === 'encoding.unsupported')
    return answer(415, 'unsupported_encoding', message ?? 'unsupported body encoding');
  if (typeof e?.status === 'number' && e.status >= 400 && e.status < 500)
    return answer(e.status, 'bad_request', message ?? 'bad request');
  return undefined;
}
