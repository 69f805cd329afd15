// A cancelled booking waiting for its money to go back (a cash refund owed at the counter, an
// online refund the gateway has not answered yet) no longer holds its room: others may book the
// slot at once. A refund asked for from a paid or running booking (refund_from_status set) still
// holds it while it is reviewed. The no-overlap guards are rebuilt with that rule.
const HOLDS = (b: string) =>
  `(${b}.status IN ('pending_payment','paid','in_use','completed','refunding')
     AND NOT (${b}.status = 'refunding' AND ${b}.refund_from_status IS NULL))`;

export default `
DROP TRIGGER bookings_no_overlap_insert;
DROP TRIGGER bookings_no_overlap_update;

CREATE TRIGGER bookings_no_overlap_insert BEFORE INSERT ON bookings
WHEN ${HOLDS('NEW')}
BEGIN
  SELECT RAISE(ABORT, 'slot_taken: overlapping booking in room')
  WHERE EXISTS (
    SELECT 1 FROM bookings b
    WHERE b.room_id = NEW.room_id AND ${HOLDS('b')}
      AND b.block_end > NEW.block_start AND b.block_start < NEW.block_end);
END;

CREATE TRIGGER bookings_no_overlap_update
BEFORE UPDATE OF room_id, block_start, block_end, status, refund_from_status ON bookings
WHEN ${HOLDS('NEW')}
BEGIN
  SELECT RAISE(ABORT, 'slot_taken: overlapping booking in room')
  WHERE EXISTS (
    SELECT 1 FROM bookings b
    WHERE b.room_id = NEW.room_id AND b.id <> NEW.id AND ${HOLDS('b')}
      AND b.block_end > NEW.block_start AND b.block_start < NEW.block_end);
END;
`;
