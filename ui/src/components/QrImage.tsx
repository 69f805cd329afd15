// A QR code drawn in the page from its text (a payment link, a door code's payload): no network
// call, so it shows with the internet cut.
import { useEffect, useState } from 'react';
import QRCode from 'qrcode';

export function QrImage({
  text,
  size = 280,
  alt,
  className = 'qr',
}: {
  text: string;
  size?: number;
  alt: string;
  className?: string;
}) {
  const [src, setSrc] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    QRCode.toDataURL(text, { width: size, margin: 1, errorCorrectionLevel: 'M' })
      .then((url) => live && setSrc(url))
      .catch(() => live && setSrc(null));
    return () => {
      live = false;
    };
  }, [text, size]);
  return src ? (
    <img className={className} src={src} width={size} height={size} alt={alt} data-qr={text} />
  ) : (
    <div className={className} style={{ width: size, height: size }} />
  );
}
