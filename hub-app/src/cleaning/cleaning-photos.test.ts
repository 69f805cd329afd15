import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DomainError } from '@roomhub/shared-types';
import { CLEANING_PHOTO_MAX_BYTES } from '@roomhub/shared-types';
import { assertPhotoContentType, checkPhoto, CleaningPhotos, photoTypeOf } from './cleaning-photos';

const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46]);

const codeOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    return (e as DomainError).code;
  }
  return null;
};

describe('a cleaning photo', () => {
  it('is told apart by its first bytes, not by what the phone says it is', () => {
    expect(photoTypeOf(png)).toBe('image/png');
    expect(photoTypeOf(jpeg)).toBe('image/jpeg');
    expect(photoTypeOf(Buffer.from('GIF89a'))).toBeNull();
    expect(checkPhoto(jpeg, 'image/jpeg')).toBe('image/jpeg');
    expect(codeOf(() => checkPhoto(png, 'image/jpeg'))).toBe('cleaning_photo_not_image');
    expect(codeOf(() => checkPhoto(Buffer.alloc(0), 'image/png'))).toBe('cleaning_photo_empty');
    const big = Buffer.alloc(CLEANING_PHOTO_MAX_BYTES + 1);
    jpeg.copy(big);
    expect(codeOf(() => checkPhoto(big, 'image/jpeg'))).toBe('cleaning_photo_too_large');
  });

  it('is sent as image/jpeg or image/png, whatever the parameters', () => {
    expect(assertPhotoContentType('image/PNG; charset=binary')).toBe('image/png');
    for (const t of [undefined, 'application/json', 'image/gif', 'multipart/form-data'])
      expect(codeOf(() => assertPhotoContentType(t))).toBe('cleaning_photo_not_image');
  });

  it('is kept whole in the data folder, with no part file left behind', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cleaning-photos-'));
    const photos = new CleaningPhotos(dir);
    photos.save('t1-a.png', png);
    expect(photos.read('t1-a.png').equals(png)).toBe(true);
    expect(readdirSync(join(dir, 'cleaning-photos'))).toEqual(['t1-a.png']);
    expect(codeOf(() => photos.read('missing.png'))).toBe('cleaning_photo_not_found');
  });
});
