// A button for a platform action that needs its reason: it asks for the reason in a dialog, then
// acts; the cloud's refusal is shown in its own words.
import { useState, type ReactNode } from 'react';
import { App, Button, Input, Modal } from 'antd';
import { useTranslation } from 'react-i18next';
import { PlatformRefusal } from './platform-client';

export function ReasonAction({
  label,
  title,
  danger,
  type,
  testId,
  act,
  done,
}: {
  label: ReactNode;
  title: string;
  danger?: boolean;
  type?: 'primary' | 'default';
  testId?: string;
  act: (reason: string) => Promise<unknown>;
  done?: () => void;
}) {
  const { t } = useTranslation('platform');
  const { message } = App.useApp();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  return (
    <>
      <Button danger={danger} type={type} onClick={() => setOpen(true)} data-testid={testId}>
        {label}
      </Button>
      <Modal
        open={open}
        title={title}
        okText={t('common.confirm')}
        cancelText={t('common.cancel')}
        confirmLoading={busy}
        destroyOnHidden
        okButtonProps={{ disabled: reason.trim().length < 2 }}
        onCancel={() => setOpen(false)}
        onOk={async () => {
          setBusy(true);
          try {
            await act(reason.trim());
            setOpen(false);
            setReason('');
            message.success(t('common.done'));
            done?.();
          } catch (e) {
            message.error(e instanceof PlatformRefusal ? e.message : String(e));
          } finally {
            setBusy(false);
          }
        }}
      >
        <Input.TextArea
          rows={3}
          value={reason}
          placeholder={t('common.reason')}
          onChange={(e) => setReason(e.target.value)}
          data-testid="reason"
        />
      </Modal>
    </>
  );
}
