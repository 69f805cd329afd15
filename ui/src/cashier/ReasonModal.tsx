// Asks the person at the counter why, before a step the hub records with its reason (a voucher
// given back, a device switched by hand, a door opened, a refund refused): the step is taken only
// with a reason typed, and a refusal is shown inside the dialog.
import { useState, type ReactNode } from 'react';
import { Alert, Input, Modal } from 'antd';
import { useTranslation } from 'react-i18next';
import { counterRefusal } from './refusal-text';

export function ReasonModal({
  open,
  title,
  children,
  okText,
  danger,
  onCancel,
  onConfirm,
}: {
  open: boolean;
  title: string;
  children?: ReactNode;
  okText?: string;
  danger?: boolean;
  onCancel: () => void;
  /** Takes the step; a rejection is shown in the dialog, success closes it. */
  onConfirm: (reason: string) => Promise<unknown>;
}) {
  const { t } = useTranslation('cashier');
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const close = () => {
    setReason('');
    setError(null);
    onCancel();
  };
  const confirm = async () => {
    if (!reason.trim()) {
      setError(t('reason.required'));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await onConfirm(reason.trim());
      setReason('');
      onCancel();
    } catch (e) {
      setError(counterRefusal(t, e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      open={open}
      title={title}
      okText={okText ?? t('confirm')}
      cancelText={t('cancel')}
      okButtonProps={{ danger: !!danger, loading: busy }}
      onOk={() => void confirm()}
      onCancel={close}
      destroyOnHidden
    >
      {children}
      <Input.TextArea
        autoFocus
        rows={2}
        maxLength={200}
        placeholder={t('reason.placeholder')}
        aria-label={t('reason.label')}
        value={reason}
        onChange={(e) => setReason(e.target.value)}
      />
      {error && <Alert className="gap" type="error" showIcon title={error} />}
    </Modal>
  );
}
