// The time a screen shows, moved on every half minute by the screen itself (no call to the hub).
import { useEffect, useState } from 'react';

export function useNow(now: () => number, everyMs = 30_000): number {
  const [t, setT] = useState(now);
  useEffect(() => {
    setT(now());
    const timer = window.setInterval(() => setT(now()), everyMs);
    return () => window.clearInterval(timer);
  }, [now, everyMs]);
  return t;
}
