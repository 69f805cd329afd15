// A device schedule may run only on the kinds of day the store's calendar names: a JSON array of
// 'workday', 'weekend', 'holiday'; empty (every schedule before this) runs on all its weekdays.
export default `
ALTER TABLE device_schedules ADD COLUMN day_types TEXT NOT NULL DEFAULT '[]';
`;
