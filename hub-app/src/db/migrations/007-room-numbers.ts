// Rooms get a short number people say and the device file names them by (101, A2), unique in the
// store. Rooms made before it are numbered from 101 in the order the store lists them (sort, then
// creation), retired ones included, so a number is never given to two rooms.
export default `
ALTER TABLE rooms ADD COLUMN number TEXT;
UPDATE rooms SET number = numbered.number
  FROM (SELECT id, CAST(100 + ROW_NUMBER() OVER (ORDER BY sort, created_at, id) AS TEXT) AS number
        FROM rooms) AS numbered
  WHERE rooms.id = numbered.id;
CREATE UNIQUE INDEX rooms_number ON rooms(number);
`;
