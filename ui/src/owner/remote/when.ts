// Times on the remote pages as the store's wall clock reads them: the cloud answers instants with
// the store's own offset (`2026-11-23T14:00:00+08:00`), so the owner away from the store still
// reads the store's hours.

/** `HH:mm` of an instant, at the store. */
export const hm = (iso: string) => iso.slice(11, 16);

/** `YYYY-MM-DD HH:mm:ss` of an instant, at the store; a dash for none. */
export const stamp = (iso: string | null) => (iso ? iso.slice(0, 19).replace('T', ' ') : '—');

/** Today's date in the browser's zone, `YYYY-MM-DD`. */
export const todayDate = () => {
  const d = new Date();
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
};
