// Slot arithmetic: a booking occupies its span plus the cleaning buffer after it. Both the hub's
// guard and the cloud's availability view use these; keep them pure.
import { MINUTE } from '../time/instant';

export interface Span {
  start: number;
  end: number;
}

/** The span a booking makes unavailable to others: its time plus the cleaning buffer. */
export function blockOf(span: Span, bufferMinutes: number): Span {
  return { start: span.start, end: span.end + bufferMinutes * MINUTE };
}
