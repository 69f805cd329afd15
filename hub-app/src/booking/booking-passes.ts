// Booking passes: what a kiosk holds after its customer proved a booking with the door code or
// QR, so the customer can extend it, open its door or end it there without a phone. A pass names
// one booking and one kiosk, lasts ten minutes (a booking made there: until its hold ends, so a
// customer paying at the counter at the last minute still sees the door code come up), and lives
// in memory only: a restart asks the customer to show the code again, and nothing is decided from
// it but who may act.
import { createHash, randomBytes } from 'node:crypto';
import { MINUTE, type Clock } from '@roomhub/shared-types';

const LIFETIME = 10 * MINUTE;
const hashOf = (pass: string) => createHash('sha256').update(pass).digest('hex');

export class BookingPasses {
  private readonly passes = new Map<
    string,
    { bookingId: string; screenId: string; expiresAt: number }
  >();

  constructor(private readonly clock: Clock) {}

  /** A pass for the booking on this kiosk, good for ten minutes or until `atLeastUntil`. */
  issue(
    bookingId: string,
    screenId: string,
    atLeastUntil = 0,
  ): { pass: string; expiresAt: number } {
    this.sweep();
    const pass = randomBytes(24).toString('base64url');
    const expiresAt = Math.max(this.clock.now() + LIFETIME, atLeastUntil);
    this.passes.set(hashOf(pass), { bookingId, screenId, expiresAt });
    return { pass, expiresAt };
  }

  /** The booking a pass names, if it is this kiosk's and still good. */
  bookingOf(pass: string, screenId: string): string | undefined {
    const p = this.passes.get(hashOf(pass));
    if (!p || p.screenId !== screenId || p.expiresAt <= this.clock.now()) return undefined;
    return p.bookingId;
  }

  private sweep(): void {
    const now = this.clock.now();
    for (const [k, p] of this.passes) if (p.expiresAt <= now) this.passes.delete(k);
  }
}
