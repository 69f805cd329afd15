// Paying from the member wallet (会员储值支付): the member shows the member code from their phone
// (我的 - 会员码) to the kiosk's scanner, and the hub pays the booking from that wallet. A phone
// number typed here is never taken: whoever types a number is not shown to own its wallet. Once
// paid, the member sees their phone masked and what the wallet holds now before going on; a
// refusal says why in a sentence (a short wallet: how much is missing), beside the other ways.
import { useEffect } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Result } from 'antd';
import { useTranslation } from 'react-i18next';
import { isMemberCodeText, type MemberCodePaidView } from '@roomhub/shared-types';
import { hub, HubRefusal } from '../../api/hub-client';
import { refusalText } from '../../components/refusal';
import { yuan } from '../../components/yuan';
import { useKiosk } from '../kiosk-context';

/** How long the result stays before the kiosk goes on by itself. */
const RESULT_MS = 8_000;

export function MemberPay(props: {
  bookingId: string;
  pass: string | null;
  onPaid: (paid: MemberCodePaidView) => void;
  onDone: () => void;
  onBack: () => void;
}) {
  const { bookingId, pass, onPaid, onDone, onBack } = props;
  const { t } = useTranslation('kiosk');
  const { scan, takeScan } = useKiosk();
  const client = useQueryClient();
  const pay = useMutation({
    mutationFn: (text: string) => hub.payByMemberCode(bookingId, text, pass),
    onSuccess: (paid) => {
      onPaid(paid);
      void client.invalidateQueries({ queryKey: ['booking', bookingId] });
    },
  });

  // Only a member code is taken here; anything else held to the scanner is left for the other
  // ways to pay (the payment screen moves there with it).
  useEffect(() => {
    if (!scan || !isMemberCodeText(scan.text) || pay.isSuccess) return;
    takeScan();
    if (!pay.isPending) pay.mutate(scan.text);
  }, [scan, takeScan, pay]);

  useEffect(() => {
    if (!pay.isSuccess) return;
    const timer = setTimeout(onDone, RESULT_MS);
    return () => clearTimeout(timer);
  }, [pay.isSuccess, onDone]);

  if (pay.data) {
    const paid = pay.data;
    return (
      <Result
        status="success"
        className="member-paid"
        data-testid="member-paid"
        title={t('memberPay.paid', { amount: yuan(paid.paid) })}
        subTitle={
          <>
            <span className="member-phone">{t('memberPay.member', { phone: paid.phone })}</span>
            <br />
            <span data-testid="member-balance">
              {t('memberPay.balance', { amount: yuan(paid.balance.total) })}
            </span>
          </>
        }
        extra={
          <Button size="large" type="primary" onClick={onDone}>
            {t('memberPay.continue')}
          </Button>
        }
      />
    );
  }

  const refused = pay.error;
  return (
    <div className="scan-panel" data-testid="member-pay">
      <h2>{t('memberPay.heading')}</h2>
      <div className="scan-window" aria-hidden="true" />
      <p className="lead">{t('memberPay.text')}</p>
      {pay.isPending && <Alert type="info" showIcon title={t('scan.working')} />}
      {refused && (
        <Alert
          type="error"
          showIcon
          data-testid="member-refused"
          title={memberRefusal(t, refused)}
          description={t('memberPay.orOther')}
        />
      )}
      <Button size="large" onClick={onBack}>
        {t('pay.otherWay')}
      </Button>
    </div>
  );
}

/** The kiosk's own sentence for a member code refused; a short wallet in the hub's words. */
function memberRefusal(t: ReturnType<typeof useTranslation>['t'], e: unknown): string {
  if (e instanceof HubRefusal) {
    // The hub says how much is missing, in the kiosk's language (it asks in zh-CN).
    if (e.code === 'wallet_short') return e.message;
    const own = `memberPay.refused.${e.code}`;
    const text = t(own, { defaultValue: '' });
    if (text) return text;
  }
  return refusalText(t, e);
}
