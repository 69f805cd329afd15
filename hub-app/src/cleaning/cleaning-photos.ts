// The photos cleaners take of a cleaned room: kept as files in the hub's data folder
// (`cleaning-photos/`), never in the database, and only JPEG or PNG images of a bounded size, told
// apart by their first bytes rather than by what the phone claims. Reads and writes files only;
// which task a photo belongs to is the cleaning service's.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLEANING_PHOTO_MAX_BYTES, DomainError, notFound } from '@roomhub/shared-types';

export type PhotoType = 'image/jpeg' | 'image/png';

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const JPEG = Buffer.from([0xff, 0xd8, 0xff]);

/** The image type the bytes are, or null when they are neither a JPEG nor a PNG. */
export function photoTypeOf(bytes: Buffer): PhotoType | null {
  if (bytes.subarray(0, PNG.length).equals(PNG)) return 'image/png';
  if (bytes.subarray(0, JPEG.length).equals(JPEG)) return 'image/jpeg';
  return null;
}

/** The declared type of an upload, when it is one we keep; anything else is refused at once. */
export function assertPhotoContentType(contentType: string | undefined): PhotoType {
  const type = contentType?.split(';')[0]?.trim().toLowerCase();
  if (type === 'image/jpeg' || type === 'image/png') return type;
  throw new DomainError(
    'unsupported_media',
    'cleaning_photo_not_image',
    'send the photo as a JPEG or PNG image (Content-Type: image/jpeg or image/png)',
    'photo',
  );
}

/** Refuses an empty upload, one over the size limit, or one whose bytes are not its image type. */
export function checkPhoto(bytes: Buffer, declared: PhotoType): PhotoType {
  if (bytes.length === 0) {
    throw new DomainError('bad_input', 'cleaning_photo_empty', 'the photo is empty', 'photo');
  }
  if (bytes.length > CLEANING_PHOTO_MAX_BYTES) throw tooLarge();
  const actual = photoTypeOf(bytes);
  if (actual !== declared) {
    throw new DomainError(
      'unsupported_media',
      'cleaning_photo_not_image',
      `the photo is not a ${declared === 'image/png' ? 'PNG' : 'JPEG'} image`,
      'photo',
    );
  }
  return actual;
}

export function tooLarge(): DomainError {
  const mb = CLEANING_PHOTO_MAX_BYTES / (1024 * 1024);
  return new DomainError(
    'invalid',
    'cleaning_photo_too_large',
    `a photo is at most ${mb} MB; take it again at a lower size`,
    'photo',
  ).with({ mb });
}

export class CleaningPhotos {
  private readonly dir: string;

  constructor(dataDir: string) {
    this.dir = join(dataDir, 'cleaning-photos');
  }

  /** Writes the photo under `name` whole or not at all (a half-written file is never served). */
  save(name: string, bytes: Buffer): void {
    mkdirSync(this.dir, { recursive: true });
    const tmp = join(this.dir, `.${name}.part`);
    writeFileSync(tmp, bytes);
    renameSync(tmp, join(this.dir, name));
  }

  read(name: string): Buffer {
    try {
      return readFileSync(join(this.dir, name));
    } catch {
      throw notFound('cleaning_photo', name);
    }
  }
}
