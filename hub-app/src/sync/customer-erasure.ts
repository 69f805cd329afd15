// A customer deleted their account with the platform: the store erases their phone and name on
// its bookings (and the booking events their phone is the actor of) and on its member record,
// putting an anonymous id in the phone's place, and republishes what changed. Ledgers (money,
// points, wallet, coupons) are kept as they are: they are the store's accounts. One audit entry
// says what was erased. Runs inside the intent's write; decides nothing else.
import { bookingDocId, customerIdForPhone, type CustomerIntentDoc } from '@roomhub/shared-types';
import type { Hub } from '../hub';

export interface Erased {
  bookings: number;
  members: number;
}

/** What stands in the phone's place: unique per customer, and spelling nobody. */
export const erasedPhone = (customerId: string) => `erased:${customerId}`;

export function eraseCustomer(
  hub: Hub,
  intent: Extract<CustomerIntentDoc, { kind: 'customer_erasure' }>,
  customerIdKey: string | undefined,
): Erased {
  const ids = new Set([intent.customerId, ...intent.body.customerIds]);
  const anon = erasedPhone(intent.customerId);
  const idOf = (phone: string) =>
    customerIdKey !== undefined && !phone.startsWith('erased:')
      ? customerIdForPhone(phone, customerIdKey)
      : undefined;
  // The phones that are this customer's: on their online bookings, or giving their id.
  const phones = new Set<string>();
  const bookingPhones = hub.db
    .prepare('SELECT DISTINCT customer_phone AS phone, customer_id AS id FROM bookings')
    .all() as { phone: string; id: string | null }[];
  for (const r of bookingPhones) {
    if (r.phone.startsWith('erased:')) continue;
    if ((r.id !== null && ids.has(r.id)) || ids.has(idOf(r.phone) ?? '')) phones.add(r.phone);
  }
  const memberPhones = hub.db.prepare('SELECT phone FROM members').all() as { phone: string }[];
  for (const r of memberPhones) if (ids.has(idOf(r.phone) ?? '')) phones.add(r.phone);

  const bookings = hub.db
    .prepare(
      `SELECT id FROM bookings WHERE customer_phone IN (SELECT value FROM json_each(?))
         OR customer_id IN (SELECT value FROM json_each(?))`,
    )
    .all(JSON.stringify([...phones]), JSON.stringify([...ids])) as { id: string }[];
  const now = hub.clock.now();
  const inPhones = JSON.stringify([...phones]);
  hub.db
    .prepare(
      `UPDATE bookings SET customer_phone = ?, customer_name = NULL, updated_at = ?
        WHERE id IN (SELECT value FROM json_each(?))`,
    )
    .run(anon, now, JSON.stringify(bookings.map((b) => b.id)));
  hub.db
    .prepare(
      `UPDATE booking_events SET actor_id = ?
        WHERE actor_kind = 'customer' AND actor_id IN (SELECT value FROM json_each(?))`,
    )
    .run(anon, inPhones);
  // The tea orders that were theirs (a booking's, or one the counter named them for).
  const orders = hub.db
    .prepare('SELECT id FROM orders WHERE member_phone IN (SELECT value FROM json_each(?))')
    .all(inPhones) as { id: string }[];
  hub.db
    .prepare(
      'UPDATE orders SET member_phone = ? WHERE member_phone IN (SELECT value FROM json_each(?))',
    )
    .run(anon, inPhones);
  const members = hub.db
    .prepare('SELECT id FROM members WHERE phone IN (SELECT value FROM json_each(?))')
    .all(inPhones) as { id: string }[];
  // One member per phone; a customer with two phones' records keeps the first under the id.
  members.forEach((m, i) => {
    hub.db
      .prepare(
        'UPDATE members SET phone = ?, name = NULL, birthday = NULL, updated_at = ? WHERE id = ?',
      )
      .run(i === 0 ? anon : `${anon}:${i}`, now, m.id);
  });
  for (const b of bookings) hub.outbox.mark(bookingDocId(b.id));
  for (const m of members) hub.outbox.markMember(m.id);
  for (const o of orders) hub.outbox.markOrder(o.id);
  hub.audit.record({
    actor: { kind: 'customer', id: `cloud:${intent.customerId}` },
    action: 'customer.erase',
    target: intent.customerId,
    after: { bookings: bookings.length, members: members.length },
  });
  return { bookings: bookings.length, members: members.length };
}
