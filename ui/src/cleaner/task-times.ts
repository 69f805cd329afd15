// How long a room has waited for its cleaner, in whole minutes on the hub's clock.
const MINUTE = 60_000;

export function minutesWaited(since: string, now: number): number {
  return Math.max(0, Math.floor((now - Date.parse(since)) / MINUTE));
}
