// What the booking in front of the kiosk has left, worked out from its end and the hub's clock:
// minutes to go, or minutes over once the end has passed (billed as overtime when the guest
// leaves, by the store's rules). Pure.

const MINUTE = 60_000;

export type TimeLeft =
  | { kind: 'not_started'; minutesToStart: number }
  | { kind: 'left'; minutes: number }
  | { kind: 'over'; minutes: number };

export function timeLeft(start: number, end: number, now: number): TimeLeft {
  if (now < start)
    return { kind: 'not_started', minutesToStart: Math.ceil((start - now) / MINUTE) };
  if (now <= end) return { kind: 'left', minutes: Math.ceil((end - now) / MINUTE) };
  return { kind: 'over', minutes: Math.floor((now - end) / MINUTE) };
}
