// A document picked on the phone, made ready to send: its type from the file (or from its name
// when the phone's picker gives none), and a camera's photo of several MB drawn again smaller, as
// a JPEG still sharp enough to read, so it goes quickly and within the platform's upload size.
// A PDF is sent as it is.

const BY_NAME: [RegExp, string][] = [
  [/\.pdf$/i, 'application/pdf'],
  [/\.jpe?g$/i, 'image/jpeg'],
  [/\.png$/i, 'image/png'],
  [/\.webp$/i, 'image/webp'],
];

/** The Content-Type to send `file` with; the cloud checks it against the file's first bytes. */
export function typeOf(file: { type: string; name: string }): string {
  const said = file.type.toLowerCase();
  if (said === 'image/jpg') return 'image/jpeg';
  if (said) return said;
  return BY_NAME.find(([re]) => re.test(file.name))?.[1] ?? 'application/octet-stream';
}

/** A picture larger than this is drawn again smaller. */
export const SHRINK_ABOVE_BYTES = 1_500_000;
/** A licence photographed whole reads well at this many pixels along its long side. */
const LONG_SIDE = 2400;

export async function readyToSend(file: File): Promise<{ body: Blob; type: string }> {
  const type = typeOf(file);
  if (!type.startsWith('image/') || file.size <= SHRINK_ABOVE_BYTES) return { body: file, type };
  try {
    const picture = await createImageBitmap(file);
    const scale = Math.min(1, LONG_SIDE / Math.max(picture.width, picture.height));
    const canvas = document.createElement('canvas');
    canvas.width = Math.round(picture.width * scale);
    canvas.height = Math.round(picture.height * scale);
    const ctx = canvas.getContext('2d');
    if (!ctx) return { body: file, type };
    // A transparent PNG would turn black as a JPEG.
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    ctx.drawImage(picture, 0, 0, canvas.width, canvas.height);
    picture.close();
    const smaller = await new Promise<Blob | null>((done) =>
      canvas.toBlob(done, 'image/jpeg', 0.85),
    );
    if (smaller && smaller.size < file.size) return { body: smaller, type: 'image/jpeg' };
  } catch {
    // A picture this browser cannot draw (HEIC) goes as it is; the cloud says what it takes.
  }
  return { body: file, type };
}
