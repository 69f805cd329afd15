// A customer who signed in with WeChat links their phone (C1, C11): the code texted to it proves
// the phone, and from then on they are that phone's customer (members, points, wallets, coupons
// and member codes are kept by phone), at every later WeChat sign-in too; what they booked
// before stays in their orders. Then back to where they were (`next`), or to "me".
import { useNavigate, useSearchParams } from 'react-router';
import { useQueryClient } from '@tanstack/react-query';
import { Button, NavBar } from 'antd-mobile';
import { useTranslation } from 'react-i18next';
import { cloud, keepCustomerToken } from '../api/cloud-client';
import { PhoneCodeFields, usePhoneProof } from './PhoneCodeFields';

/** Only a page of these customer pages (a path), never another site. */
const ownPage = (next: string | null) => (next && /^\/(?!\/)/.test(next) ? next : '/me');

export function LinkPhone() {
  const { t } = useTranslation('customer');
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const queries = useQueryClient();
  const next = ownPage(params.get('next'));
  const proof = usePhoneProof('', 'link_wechat');
  const link = () => {
    if (!proof.proved()) return;
    void proof.attempt(async () => {
      keepCustomerToken((await cloud.linkPhone(proof.phone, proof.code)).token);
      // Read again as the phone's customer: the profile, orders, coupons, memberships.
      queries.clear();
      void navigate(next, { replace: true });
    });
  };

  return (
    <section className="sign-in">
      <NavBar onBack={() => void navigate(next)}>{t('linkPhone.title')}</NavBar>
      <div className="pad">
        <p className="lead">{t('linkPhone.lead')}</p>
        <PhoneCodeFields {...proof.fields} />
        <p className="hint">{t('linkPhone.why')}</p>
        {proof.error && (
          <p className="refusal" role="alert">
            {proof.error}
          </p>
        )}
        <Button
          block
          color="primary"
          size="large"
          className="tall"
          loading={proof.busy}
          onClick={link}
        >
          {t('linkPhone.submit')}
        </Button>
      </div>
    </section>
  );
}
