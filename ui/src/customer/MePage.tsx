// "Me": my coupons, my memberships and wallets, the language, applying to open a store on the
// platform, and signing out on this phone; a frozen account is told so, with the way to appeal;
// one signed in with WeChat and no phone yet is offered to link one.
import { useNavigate } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { Button, List, NavBar } from 'antd-mobile';
import { useTranslation } from 'react-i18next';
import { cloud, forgetCustomerToken } from '../api/cloud-client';
import { FrozenNotice, isFrozen } from './FrozenNotice';
import { MeHead } from './MeHead';
import { TalkLinks } from './TalkLinks';

export function MePage({ onSignedOut, onLang }: { onSignedOut: () => void; onLang: () => void }) {
  const { t } = useTranslation('customer');
  const navigate = useNavigate();
  // The same read as MeHead's: a frozen account's every call is refused, this one included.
  const profile = useQuery({ queryKey: ['my-profile'], queryFn: () => cloud.profile() });
  return (
    <section>
      <NavBar back={null}>{t('me.title')}</NavBar>
      {isFrozen(profile.error) && (
        <div className="pad-x">
          <FrozenNotice error={profile.error} />
        </div>
      )}
      <MeHead />
      <List className="me-list">
        {profile.data !== undefined && profile.data.phone === undefined && (
          <List.Item
            description={t('linkPhone.offerWhy')}
            onClick={() => void navigate('/me/phone')}
          >
            {t('linkPhone.offer')}
          </List.Item>
        )}
        <TalkLinks />
        <List.Item onClick={() => void navigate('/me/coupons')}>{t('coupons.title')}</List.Item>
        <List.Item onClick={() => void navigate('/me/vouchers')}>{t('vouchers.title')}</List.Item>
        <List.Item onClick={() => void navigate('/me/memberships')}>
          {t('memberships.title')}
        </List.Item>
        <List.Item onClick={() => void navigate('/me/member-code')}>
          {t('memberCode.title')}
        </List.Item>
        <List.Item onClick={() => void navigate('/merchant')}>{t('me.merchant')}</List.Item>
        <List.Item onClick={onLang}>{t('lang')}</List.Item>
        <List.Item onClick={() => void navigate('/me/profile')}>
          {t('account.profile.title')}
        </List.Item>
        <List.Item onClick={() => void navigate('/me/data')}>{t('account.data.title')}</List.Item>
        <List.Item onClick={() => void navigate('/me/delete')}>
          {t('account.delete.title')}
        </List.Item>
      </List>
      <div className="pad">
        <Button
          block
          size="large"
          className="tall"
          onClick={() => {
            forgetCustomerToken();
            onSignedOut();
            void navigate('/');
          }}
        >
          {t('me.signOut')}
        </Button>
      </div>
    </section>
  );
}
