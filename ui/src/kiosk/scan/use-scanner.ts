// The kiosk's scanner, read two ways: a USB scanner in keyboard mode types its reading into the
// page (a burst of keys ended by Enter, told from a finger by the WedgeReader), and a
// serial or HID scanner the store wired to this kiosk reaches it through the hub's events. Either
// becomes the one last reading; each reading is new, even the same code scanned twice.
import { useCallback, useEffect, useRef, useState } from 'react';
import { WedgeReader } from '../../components/wedge-reader';

export interface Scan {
  text: string;
  /** Tells two readings of the same code apart. */
  seq: number;
}

export function useScanner(): {
  scan: Scan | null;
  heard: (text: string) => void;
  takeScan: () => void;
} {
  const [scan, setScan] = useState<Scan | null>(null);
  const seq = useRef(0);
  const heard = useCallback((text: string) => {
    seq.current += 1;
    setScan({ text: text.trim(), seq: seq.current });
  }, []);
  const takeScan = useCallback(() => setScan(null), []);
  useEffect(() => {
    const reader = new WedgeReader();
    const onKey = (e: KeyboardEvent) => {
      const text = reader.key(e.key, e.timeStamp);
      if (text) {
        e.preventDefault();
        heard(text);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [heard]);
  return { scan, heard, takeScan };
}
