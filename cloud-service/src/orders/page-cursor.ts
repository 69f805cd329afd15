// The cursor of a page of bookings listed newest start first: the last booking's start (UTC ISO)
// and id, opaque to the caller, so the next page resumes just after it however the list is read.
import { DomainError, IdPartSchema } from '@roomhub/shared-types';

export type PageCursor = [start: string, bookingId: string];

/** The `next` that resumes after the booking that starts at `start` with id `bookingId`. */
export function encodeCursor(start: string, bookingId: string): string {
  return Buffer.from(
    JSON.stringify([new Date(Date.parse(start)).toISOString(), bookingId]),
  ).toString('base64url');
}

/** A cursor as `next` gave it; a 400 naming `before` for anything else. */
export function decodeCursor(text: string): PageCursor {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    value = undefined;
  }
  const [start, bookingId] = Array.isArray(value) && value.length === 2 ? value : [];
  if (
    typeof start !== 'string' ||
    Number.isNaN(Date.parse(start)) ||
    !IdPartSchema.safeParse(bookingId).success
  ) {
    throw new DomainError(
      'bad_input',
      'invalid_input',
      'before: must be the `next` of a page',
      'before',
    );
  }
  return [new Date(Date.parse(start)).toISOString(), bookingId as string];
}

/** Newest start first, then the greater id first: the order pages are cut in. */
export function newestFirst(
  a: { start: string; bookingId: string },
  b: { start: string; bookingId: string },
): number {
  return (
    Date.parse(b.start) - Date.parse(a.start) ||
    (a.bookingId < b.bookingId ? 1 : a.bookingId > b.bookingId ? -1 : 0)
  );
}

/** Whether a booking comes after the cursor in that order (every booking does without one). */
export function pastCursor(
  cursor: PageCursor | undefined,
  b: { start: string; bookingId: string },
): boolean {
  if (!cursor) return true;
  const at = new Date(Date.parse(b.start)).toISOString();
  return at < cursor[0] || (at === cursor[0] && b.bookingId < cursor[1]);
}
