// C5: the ways to pay offered where the customer is, as the cloud lists them for this surface
// (`GET /api/payment-methods`: WeChat Pay alone inside WeChat, Alipay and UnionPay too in another
// browser, none the platform has switched off), never a list of the page's own. A choice is shown
// only when there is more than one; with none, the page says so and takes no payment.
import { useMemo, useState } from 'react';
import type { TFunction } from 'i18next';
import { useQuery } from '@tanstack/react-query';
import { Selector } from 'antd-mobile';
import { useTranslation } from 'react-i18next';
import { OnlinePaymentMethodSchema, type OnlinePaymentMethod } from '@roomhub/shared-types';
import { cloud } from '../api/cloud-client';
import { paySurface } from './mini-program';
import { customerRefusal } from './refusal-text';

const online = (m: string): m is OnlinePaymentMethod =>
  (OnlinePaymentMethodSchema.options as readonly string[]).includes(m);

export interface PayMethods {
  surface: ReturnType<typeof paySurface>;
  /** Offered here now, in the order the cloud lists them. */
  methods: OnlinePaymentMethod[];
  /** The one the customer pays by: their pick, else the first offered; null while none is. */
  chosen: OnlinePaymentMethod | null;
  pick: (m: OnlinePaymentMethod) => void;
  /** Whether the cloud has answered. */
  known: boolean;
  error: unknown;
}

/** The ways to pay offered here and the one chosen. */
export function usePayMethods(): PayMethods {
  const surface = useMemo(paySurface, []);
  const offered = useQuery({
    queryKey: ['payment-methods', surface],
    queryFn: () => cloud.paymentMethods(surface),
  });
  const methods = (offered.data?.methods ?? []).filter(online);
  const [picked, pick] = useState<OnlinePaymentMethod | null>(null);
  const chosen = picked && methods.includes(picked) ? picked : (methods[0] ?? null);
  return { surface, methods, chosen, pick, known: offered.isSuccess, error: offered.error };
}

/** The choice of how to pay, or why there is no way to pay online now. */
export function PayMethodPicker({ pay }: { pay: PayMethods }) {
  const { t } = useTranslation('customer');
  if (pay.error) return <p className="refusal">{customerRefusal(t, pay.error)}</p>;
  if (!pay.known) return null;
  if (pay.methods.length === 0) {
    return (
      <p className="refusal" data-testid="no-pay-method">
        {t('payWith.none')}
      </p>
    );
  }
  if (pay.methods.length === 1) return null;
  return (
    <div className="pay-methods">
      <h3>{t('payWith.title')}</h3>
      <Selector
        className="choices"
        columns={pay.methods.length}
        options={pay.methods.map((m) => ({ label: t(`payWith.method.${m}`), value: m }))}
        value={pay.chosen ? [pay.chosen] : []}
        onChange={(v) => v[0] && online(v[0]) && pay.pick(v[0])}
      />
    </div>
  );
}

/** The pay button's words: the way chosen and the price, e.g. 微信支付 ¥152.00. */
export function payLabel(t: TFunction, method: OnlinePaymentMethod, price: string): string {
  return t('payWith.pay', { method: t(`payWith.method.${method}`), price });
}
