// The receipt as it is printed: laid out at the paper's width (58 or 80 mm) beside the page, out of
// sight on the screen, and the only thing on the page when it prints (receipt.css). It measures
// itself and sets the printed page's size to the paper's width and its own length, so a receipt
// printer cuts it where it ends.
import { useLayoutEffect, useRef, useState } from 'react';
import { createPortal } from 'react-dom';
import { useTranslation } from 'react-i18next';
import type { ReceiptPage, ReceiptPaper } from '@roomhub/shared-types';
import { QrImage } from '../../components/QrImage';
import type { ReceiptContent, ReceiptRow } from './receipt-content';
import { NS } from './words';
import './receipt.css';

const PX_PER_MM = 96 / 25.4;

export function ReceiptSheet(props: {
  content: ReceiptContent;
  paperMm: ReceiptPaper;
  /** The printed page's size, once laid out (again whenever it changes). */
  onPage: (page: ReceiptPage) => void;
}) {
  const { content: c, paperMm, onPage } = props;
  const { t } = useTranslation(NS);
  const sheet = useRef<HTMLDivElement>(null);
  const [heightMm, setHeightMm] = useState<number | null>(null);
  useLayoutEffect(() => {
    const el = sheet.current;
    if (!el) return;
    let last: number | null = null;
    const measure = () => {
      const mm = Math.min(2000, Math.max(20, Math.ceil(el.offsetHeight / PX_PER_MM) + 2));
      if (mm === last) return;
      last = mm;
      setHeightMm(mm);
      onPage({ widthMm: paperMm, heightMm: mm });
    };
    measure();
    const seen = new ResizeObserver(measure);
    seen.observe(el);
    return () => seen.disconnect();
  }, [c, paperMm, onPage]);

  return createPortal(
    <div
      ref={sheet}
      className={`receipt-sheet paper-${paperMm}`}
      data-testid="receipt"
      aria-hidden="true"
    >
      {heightMm !== null && (
        <style>{`@page { size: ${paperMm}mm ${heightMm}mm; margin: 0; }`}</style>
      )}
      <p className="receipt-store">{c.store}</p>
      <p className="receipt-title">{t('title')}</p>
      <Row text={t('number')} amount={c.number} />
      <Row text={t('room')} amount={c.room} />
      <Row text={t('date')} amount={c.date} />
      <Row text={t('time')} amount={c.span} />
      <Row text={t('party')} amount={c.party} />
      <hr />
      <p className="receipt-heading">{t('fees')}</p>
      {c.fees.map((r, i) => (
        <Row key={i} {...r} />
      ))}
      <Row text={t('total')} amount={c.total} strong />
      <p className="receipt-heading">{t('payments')}</p>
      {c.payments.map((r, i) => (
        <Row key={i} {...r} />
      ))}
      <Row text={t('paid')} amount={c.paid} strong />
      <hr />
      <p className="receipt-heading centre">{t('doorCode')}</p>
      <p className="receipt-code" data-testid="receipt-code">
        {c.code}
      </p>
      <div className="receipt-qr">
        <QrImage text={c.qr} size={320} alt={t('doorCode')} className="receipt-qr-image" />
      </div>
      <p className="centre">
        {t('valid')} {c.valid}
      </p>
      <p className="receipt-small centre">{t('doorHint')}</p>
      <hr />
      {c.phone && <Row text={t('phone')} amount={c.phone} />}
      <Row text={t('printedAt')} amount={c.printedAt} />
      <p className="centre receipt-thanks">{t('thanks')}</p>
    </div>,
    document.body,
  );
}

function Row({ text, amount, strong }: ReceiptRow & { strong?: boolean }) {
  return (
    <div className={strong ? 'receipt-row strong' : 'receipt-row'}>
      <span>{text}</span>
      <span>{amount}</span>
    </div>
  );
}
