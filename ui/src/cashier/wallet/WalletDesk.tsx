// The member wallet at the counter (储值): the cashier finds a member by phone, sees what their
// wallet holds and each movement, and sells a top-up in cash (a package or an amount). The unused
// principal is given back by a manager or the owner, who see that button here too.
import { Card } from 'antd';
import { useTranslation } from 'react-i18next';
import { WalletLookup } from '../../components/wallet/WalletLookup';
import { NS } from '../../components/wallet/wallet-words';
import { useCashier } from '../cashier-context';

export function WalletDesk() {
  const { t } = useTranslation(NS);
  const c = useCashier();
  return (
    <Card title={t('lookup.title')} data-testid="wallet-desk">
      <WalletLookup role={c.staff.role} />
    </Card>
  );
}
