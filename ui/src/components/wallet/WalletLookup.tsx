// A member's wallet found by their phone: the phone typed (or read from their member card by the
// scanner as digits), checked as a mainland mobile number, then the wallet below it.
import { useState } from 'react';
import { Button, Input, Space } from 'antd';
import { useTranslation } from 'react-i18next';
import type { StaffRole } from '@roomhub/shared-types';
import { MemberWallet } from './MemberWallet';
import { NS } from './wallet-words';
import { MOBILE_NUMBER } from '@roomhub/shared-types';

export function WalletLookup({ role }: { role: StaffRole }) {
  const { t } = useTranslation(NS);
  const [typed, setTyped] = useState('');
  const [phone, setPhone] = useState<string | null>(null);
  const look = () => {
    if (MOBILE_NUMBER.test(typed.trim())) setPhone(typed.trim());
  };
  const wrong = typed.length === 11 && !MOBILE_NUMBER.test(typed);
  return (
    <>
      <Space wrap>
        <Input
          aria-label={t('lookup.phone')}
          placeholder={t('lookup.phone')}
          value={typed}
          maxLength={11}
          inputMode="numeric"
          onChange={(e) => setTyped(e.target.value.replace(/\D/g, ''))}
          onPressEnter={look}
          status={wrong ? 'error' : undefined}
          style={{ width: 200 }}
        />
        <Button type="primary" disabled={!MOBILE_NUMBER.test(typed.trim())} onClick={look}>
          {t('lookup.find')}
        </Button>
      </Space>
      {wrong && <div className="muted">{t('lookup.badPhone')}</div>}
      {phone && <MemberWallet key={phone} phone={phone} role={role} />}
    </>
  );
}
