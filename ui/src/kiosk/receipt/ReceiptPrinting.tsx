// 打印小票 on the door code screen: the receipt of the paid booking, printed when the customer taps
// it, or by itself once after paying when the kiosk's settings ask for it (off unless set). The
// printer's answer is one line under the button; nothing here ever takes the code off the screen.
import { useCallback, useEffect, useMemo, useState } from 'react';
import { Button } from 'antd';
import { useTranslation } from 'react-i18next';
import type {
  BookingDetail,
  DoorCodeView,
  ReceiptPage,
  ReceiptSettings,
  StoreView,
} from '@roomhub/shared-types';
import { receiptContent } from './receipt-content';
import { printReceipt, receiptSettings, type PrintOutcome } from './receipt-print';
import { ReceiptSheet } from './ReceiptSheet';
import { NS } from './words';

/** Bookings printed by themselves on this page already: once each, however often it is shown. */
const printedBySelf = new Set<string>();

export function ReceiptPrinting(props: {
  booking: BookingDetail;
  code: DoorCodeView;
  store: StoreView;
  now: () => number;
}) {
  const { booking, code, store, now } = props;
  const { t } = useTranslation(NS);
  const [settings, setSettings] = useState<ReceiptSettings | null>(null);
  const [page, setPage] = useState<ReceiptPage | null>(null);
  const [state, setState] = useState<PrintOutcome | 'printing' | null>(null);
  useEffect(() => {
    let live = true;
    void receiptSettings().then((s) => live && setSettings(s));
    return () => {
      live = false;
    };
  }, []);
  const content = useMemo(
    () => receiptContent(t, booking, code, store, now()),
    [t, booking, code, store, now],
  );
  const print = useCallback(async () => {
    if (!page) return;
    setState('printing');
    setState(await printReceipt(page));
  }, [page]);
  const paid = booking.due <= 0 && booking.paid > 0;
  useEffect(() => {
    if (!settings?.printAfterPayment || !paid || printedBySelf.has(booking.id)) return;
    if (page?.widthMm !== settings.paperMm) return;
    printedBySelf.add(booking.id);
    void print();
  }, [settings, page, paid, booking.id, print]);

  return (
    <>
      <Button
        size="large"
        className="print-receipt"
        data-testid="print-receipt"
        disabled={!page}
        loading={state === 'printing'}
        onClick={() => void print()}
      >
        {t('print.button')}
      </Button>
      {state && (
        <p className="notice receipt-state" role="status" data-testid="receipt-state">
          {t(`print.${state}`)}
        </p>
      )}
      {settings && <ReceiptSheet content={content} paperMm={settings.paperMm} onPage={setPage} />}
    </>
  );
}
