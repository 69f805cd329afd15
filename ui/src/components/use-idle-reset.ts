// After a minute with nobody touching the screen, the kiosk goes back to the board, so the next
// customer never finds the last one's booking or phone number on it.
import { useEffect } from 'react';

export function useIdleReset(active: boolean, reset: () => void, idleMs = 60_000): void {
  useEffect(() => {
    if (!active) return;
    let timer = window.setTimeout(reset, idleMs);
    const touched = () => {
      window.clearTimeout(timer);
      timer = window.setTimeout(reset, idleMs);
    };
    const events = ['pointerdown', 'keydown', 'touchstart'] as const;
    for (const e of events) window.addEventListener(e, touched, { passive: true });
    return () => {
      window.clearTimeout(timer);
      for (const e of events) window.removeEventListener(e, touched);
    };
  }, [active, reset, idleMs]);
}
