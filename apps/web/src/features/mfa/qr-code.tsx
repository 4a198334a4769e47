'use client';

import { useEffect, useState } from 'react';
import { Spinner } from '@/components/ui/states';

/**
 * A QR code of `value`, drawn in the browser (the otpauth URL holds the TOTP secret: it never
 * goes to a QR service).
 */
export function QrCode({ value, size = 192 }: { value: string; size?: number }) {
  const [image, setImage] = useState<
    { value: string; url: string } | { value: string; error: true } | null
  >(null);

  useEffect(() => {
    let live = true;
    import('qrcode')
      .then((qrcode) =>
        qrcode.toDataURL(value, { width: size, margin: 1, errorCorrectionLevel: 'M' }),
      )
      .then(
        (url) => live && setImage({ value, url }),
        () => live && setImage({ value, error: true }),
      );
    return () => {
      live = false;
    };
  }, [value, size]);

  const current = image?.value === value ? image : null;
  if (!current) {
    return (
      <div
        style={{ width: size, height: size }}
        className="flex items-center justify-center rounded-md bg-slate-100 dark:bg-slate-800"
      >
        <Spinner />
        <span className="sr-only">Drawing the QR code…</span>
      </div>
    );
  }
  if ('error' in current) {
    return <p className="text-sm">The QR code could not be drawn: type the secret key instead.</p>;
  }
  return (
    // A data URL drawn here: next/image has nothing to optimise.
    // eslint-disable-next-line @next/next/no-img-element
    <img
      src={current.url}
      width={size}
      height={size}
      alt="QR code to scan with your authenticator app"
      className="rounded-md bg-white p-1"
    />
  );
}
