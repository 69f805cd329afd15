// The member an order of tea and snacks is for, by phone: its booking's customer, or the member
// the counter named for an order on its own, so their level prices it and it counts to them.
// Orders before this name their booking's customer. Written once with the order, never changed.
export default `
ALTER TABLE orders ADD COLUMN member_phone TEXT;
UPDATE orders SET member_phone = (SELECT b.customer_phone FROM bookings b WHERE b.id = orders.booking_id)
 WHERE booking_id IS NOT NULL;
`;
