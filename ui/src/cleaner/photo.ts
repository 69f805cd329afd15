// The photo of a cleaned room as the phone sends it: a camera's picture is often several
// megabytes, more than the hub takes (5 MB) and slow on the store's Wi-Fi, so a large one is made
// smaller in the browser (at most 1600 px on its long side, a JPEG) before it goes. A small JPEG
// or PNG goes as it is.
import { CLEANING_PHOTO_MAX_BYTES, CLEANING_PHOTO_TYPES } from '@roomhub/shared-types';

/** Enough to see the room and any damage in it, small enough to send in a moment. */
export const LONG_SIDE = 1600;
/** Below this a JPEG or PNG is sent untouched. */
export const SEND_AS_IS_BYTES = 1024 * 1024;

/** The size a `width` x `height` picture is drawn at so that its long side is at most `max`. */
export function fitWithin(
  width: number,
  height: number,
  max = LONG_SIDE,
): { width: number; height: number } {
  const long = Math.max(width, height);
  if (long <= max) return { width, height };
  const k = max / long;
  return { width: Math.max(1, Math.round(width * k)), height: Math.max(1, Math.round(height * k)) };
}

/** Whether a picture can go to the hub without being redrawn. */
export function sendsAsIs(type: string, bytes: number): boolean {
  return (CLEANING_PHOTO_TYPES as readonly string[]).includes(type) && bytes <= SEND_AS_IS_BYTES;
}

export class PhotoUnreadable extends Error {}

/** The picture to upload: the file itself when small, else a smaller JPEG drawn from it. */
export async function photoToSend(file: File): Promise<Blob> {
  if (sendsAsIs(file.type, file.size)) return file;
  let bitmap: ImageBitmap;
  try {
    // The phone's camera may store the picture on its side; the browser turns it upright.
    bitmap = await createImageBitmap(file, { imageOrientation: 'from-image' });
  } catch {
    throw new PhotoUnreadable('the browser could not read this picture');
  }
  const size = fitWithin(bitmap.width, bitmap.height);
  const canvas = document.createElement('canvas');
  canvas.width = size.width;
  canvas.height = size.height;
  canvas.getContext('2d')!.drawImage(bitmap, 0, 0, size.width, size.height);
  bitmap.close();
  const blob = await new Promise<Blob | null>((r) => canvas.toBlob(r, 'image/jpeg', 0.82));
  if (!blob || blob.size > CLEANING_PHOTO_MAX_BYTES) {
    throw new PhotoUnreadable('the picture could not be made small enough');
  }
  return blob;
}
