import { describe, expect, it } from 'vitest';
import { fitWithin, sendsAsIs } from './photo';

describe('the photo a cleaner sends', () => {
  it('keeps a picture that already fits, and shrinks a camera picture to 1600 px on its long side', () => {
    expect(fitWithin(800, 600)).toEqual({ width: 800, height: 600 });
    expect(fitWithin(4032, 3024)).toEqual({ width: 1600, height: 1200 });
    expect(fitWithin(3024, 4032)).toEqual({ width: 1200, height: 1600 });
    expect(fitWithin(10000, 3)).toEqual({ width: 1600, height: 1 });
  });

  it('sends a small JPEG or PNG untouched, and redraws anything else', () => {
    expect(sendsAsIs('image/png', 2_000)).toBe(true);
    expect(sendsAsIs('image/jpeg', 900_000)).toBe(true);
    expect(sendsAsIs('image/jpeg', 3_000_000)).toBe(false);
    // an iPhone's HEIC, or a WebP from the gallery
    expect(sendsAsIs('image/heic', 500_000)).toBe(false);
    expect(sendsAsIs('image/webp', 500_000)).toBe(false);
  });
});
