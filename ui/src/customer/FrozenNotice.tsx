// What a frozen customer is told wherever the cloud says so (signing in, "me"): the platform's
// sentence with its reason, and the way to appeal it, a tap away.
import { useNavigate } from 'react-router';
import { Button } from 'antd-mobile';
import { useTranslation } from 'react-i18next';
import { customerRefusal, refusalCode } from './refusal-text';
import './merchant.css';

/** Whether a refusal is the platform's freeze of the account. */
export const isFrozen = (e: unknown): boolean => refusalCode(e) === 'account_frozen';

export function FrozenNotice({ error, phone }: { error: unknown; phone?: string }) {
  const { t } = useTranslation('customer');
  const navigate = useNavigate();
  return (
    <div className="frozen-notice" data-testid="frozen">
      <p className="refusal" role="alert">
        {customerRefusal(t, error)}
      </p>
      <Button
        block
        color="primary"
        fill="outline"
        size="large"
        className="tall"
        onClick={() => void navigate(phone ? `/appeal?phone=${phone}` : '/appeal')}
      >
        {t('appeal.frozen')}
      </Button>
    </div>
  );
}
