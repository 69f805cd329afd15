// Paying by what the customer shows the kiosk's scanner: a payment code (付款码) in WeChat or
// Alipay is charged at once; anything else is taken as a voucher (ours, or a Meituan / Douyin
// code) and redeemed for this booking. The hub tells whose code it is (digits it does not take
// for a payment code are tried as a voucher), so the kiosk carries no copy of that rule. A
// platform's bare digits cannot be told apart, so when the hub asks which platform, the customer
// taps it and the same code is tried again. While the owner has payment codes switched off here,
// the kiosk asks for vouchers only, and a payment code held to it is told so (shared-types' rule
// of whose code it is) instead of being tried as a voucher.
import { useEffect, useRef, useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, Button } from 'antd';
import { useTranslation } from 'react-i18next';
import {
  isMemberCodeText,
  paymentCodeChannel,
  type PaymentView,
  type RedemptionView,
} from '@roomhub/shared-types';
import { hub, HubRefusal } from '../../api/hub-client';
import { newRequestId } from '../../cashier/request-id';
import { refusalText } from '../../components/refusal';
import { yuan } from '../../components/yuan';
import { useKiosk } from '../kiosk-context';

type Outcome =
  { kind: 'code'; payment: PaymentView } | { kind: 'voucher'; redemption: RedemptionView };

type Source = 'meituan' | 'douyin';

/** A payment code shown while payment codes are switched off here. */
class CodesOff extends Error {}

export function ScanToPay(props: {
  bookingId: string;
  pass: string | null;
  /** Whether the kiosk takes payment codes now (the owner may switch them off). */
  codes: boolean;
  onBack: () => void;
}) {
  const { bookingId, pass, codes, onBack } = props;
  const { t } = useTranslation('kiosk');
  const { scan, takeScan } = useKiosk();
  const client = useQueryClient();
  // A voucher's request id stays the same for the same reading: a retry redeems it once.
  const request = useRef<{ text: string; id: string } | null>(null);
  const [pending, setPending] = useState<string | null>(null);

  const pay = useMutation({
    mutationFn: async ({ text, source }: { text: string; source?: Source }): Promise<Outcome> => {
      if (/^\d+$/.test(text) && !source && !codes && paymentCodeChannel(text)) {
        throw new CodesOff();
      }
      if (/^\d+$/.test(text) && !source && codes) {
        try {
          return { kind: 'code', payment: await hub.payByCode(bookingId, text, pass) };
        } catch (e) {
          if (!(e instanceof HubRefusal && e.code === 'payment_code_unknown')) throw e;
        }
      }
      if (request.current?.text !== text) request.current = { text, id: newRequestId() };
      const redemption = await hub.payByVoucher(bookingId, text, request.current.id, pass, source);
      return { kind: 'voucher', redemption };
    },
    onSuccess: () => {
      setPending(null);
      void client.invalidateQueries({ queryKey: ['booking', bookingId] });
    },
    onError: (e, { text }) => {
      // Bare digits the hub cannot place: the customer says which platform they are from.
      setPending(e instanceof HubRefusal && e.code === 'voucher_source_needed' ? text : null);
    },
  });

  useEffect(() => {
    // A member code is the member wallet's (MemberPay), never a voucher.
    if (!scan || isMemberCodeText(scan.text)) return;
    takeScan();
    if (!pay.isPending) pay.mutate({ text: scan.text });
  }, [scan, takeScan, pay]);

  const out = pay.data;
  const waitingPayer = out?.kind === 'code' && out.payment.code?.status === 'waiting';
  return (
    <div className="scan-panel" data-testid="scan-to-pay">
      <h2>{codes ? t('scan.heading') : t('scan.voucherHeading')}</h2>
      <div className="scan-window" aria-hidden="true" />
      <p className="lead">{codes ? t('scan.text') : t('scan.voucherText')}</p>
      {pay.isPending && <Alert type="info" showIcon title={t('scan.working')} />}
      {waitingPayer && <Alert type="info" showIcon title={t('scan.payerConfirming')} />}
      {out?.kind === 'voucher' && (
        <Alert
          type="success"
          showIcon
          data-testid="voucher-taken"
          title={t('scan.voucherTaken', {
            title: out.redemption.dealTitle,
            amount: yuan(out.redemption.covered),
          })}
        />
      )}
      {pay.isError && !pending && (
        <Alert
          type="error"
          showIcon
          data-testid="scan-refused"
          title={pay.error instanceof CodesOff ? t('scan.codesOff') : refusalText(t, pay.error)}
        />
      )}
      {pending && (
        <div className="choices" data-testid="voucher-source">
          <p className="lead">{t('scan.whichPlatform')}</p>
          {(['meituan', 'douyin'] as const).map((source) => (
            <Button key={source} size="large" onClick={() => pay.mutate({ text: pending, source })}>
              {t(`scan.source.${source}`)}
            </Button>
          ))}
        </div>
      )}
      <Button size="large" onClick={onBack}>
        {t('pay.otherWay')}
      </Button>
    </div>
  );
}
