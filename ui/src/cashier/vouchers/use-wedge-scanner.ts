// The USB scanner plugged into the counter's own computer types like a keyboard: its bursts are
// read wherever the page is, except inside a field, where the keys belong to the field (the
// voucher code field takes a scan typed into it by its Enter).
import { useEffect } from 'react';
import { WedgeReader } from '../../components/wedge-reader';

const FIELDS = new Set(['INPUT', 'TEXTAREA', 'SELECT']);

export function useWedgeScanner(onScan: (text: string) => void): void {
  useEffect(() => {
    const reader = new WedgeReader();
    const onKey = (e: KeyboardEvent) => {
      const el = e.target instanceof HTMLElement ? e.target : null;
      if (el && (el.isContentEditable || FIELDS.has(el.tagName))) return;
      const text = reader.key(e.key, e.timeStamp);
      if (text) {
        e.preventDefault();
        onScan(text);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onScan]);
}
