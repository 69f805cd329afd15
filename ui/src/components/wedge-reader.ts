// A USB scanner in keyboard mode ("keyboard wedge") types what it read as key presses, far faster
// than a hand, and ends with Enter. This tells such a burst from a person typing: keys more than
// `gapMs` apart start over, and only a burst of at least `minLength` keys ended by Enter is a scan.

export class WedgeReader {
  private typed = '';
  private lastAt = -Infinity;

  constructor(
    private readonly gapMs = 60,
    private readonly minLength = 6,
  ) {}

  /** One key press (`KeyboardEvent.key`) at `at` ms; the scanned text when it ends a scan. */
  key(key: string, at: number): string | null {
    if (at - this.lastAt > this.gapMs) this.typed = '';
    this.lastAt = at;
    if (key === 'Enter') {
      const text = this.typed;
      this.typed = '';
      return text.length >= this.minLength ? text : null;
    }
    // Shift and other keys without a character of their own come between a scanner's keys too.
    if (key.length === 1) this.typed += key;
    return null;
  }
}
