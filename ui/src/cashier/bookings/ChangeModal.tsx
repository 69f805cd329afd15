// A booking moved at the counter (S3): another room, day or start, for as long as it was booked
// (a package keeps its package), within the store's rules. The change fee the customer was told
// is sent with it, so a fee that changed meanwhile refuses instead of charging more; a dearer
// change's difference is taken in cash in the same step, while the counter takes cash (the owner
// may switch it off: then the hub refuses a dearer change, and the screen says so beforehand).
import { useState } from 'react';
import { Alert, Input, Modal, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import type { BookingDetail } from '@roomhub/shared-types';
import { counter } from '../../api/counter-client';
import { clockTime, isoInStore, localDate, offsetOf } from '../../components/store-time';
import { yuan } from '../../components/yuan';
import { useCashier } from '../cashier-context';
import { counterRefusal } from '../refusal-text';

const MINUTE = 60_000;

export function ChangeModal({
  booking: b,
  open,
  onClose,
  onChanged,
}: {
  booking: BookingDetail;
  open: boolean;
  onClose: () => void;
  onChanged: () => Promise<void>;
}) {
  const { t } = useTranslation('cashier');
  const c = useCashier();
  const tz = c.store.timeZone;
  const [roomId, setRoomId] = useState(b.room.id);
  const [date, setDate] = useState(localDate(b.start, tz));
  const [time, setTime] = useState(clockTime(b.start, tz));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const fee = b.ifNow.change?.fee ?? 0;
  const cash = c.takes('cash');

  const submit = async () => {
    const local = `${date}T${time}:00`;
    const start = `${local}${offsetOf(Date.parse(`${local}Z`), tz)}`;
    const span = b.packageId
      ? { packageId: b.packageId }
      : { end: isoInStore(Date.parse(start) + b.minutes * MINUTE, tz) };
    setBusy(true);
    setError(null);
    try {
      await counter.change(b.id, {
        roomId,
        start,
        ...span,
        ...(cash ? { collect: 'cash' as const } : {}),
        expectedFee: fee,
        reason: t('change.reasonAtCounter'),
      });
      await onChanged();
      onClose();
    } catch (e) {
      setError(counterRefusal(t, e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open={open}
      title={t('change.title', { number: b.number })}
      okText={t('change.submit')}
      cancelText={t('cancel')}
      okButtonProps={{ loading: busy }}
      onOk={() => void submit()}
      onCancel={onClose}
      destroyOnHidden
    >
      <p className="muted">
        {t('change.lead', { minutes: b.minutes })}{' '}
        {!cash
          ? `${fee > 0 ? t('change.feeAlone', { amount: yuan(fee) }) : ''}${t('change.cashOff')}`
          : fee > 0
            ? t('change.fee', { amount: yuan(fee) })
            : t('change.noFee')}
      </p>
      <div className="form-row">
        <Select
          aria-label={t('room')}
          value={roomId}
          onChange={setRoomId}
          style={{ width: 140 }}
          options={c.rooms.map((r) => ({ value: r.id, label: r.name }))}
        />
        <Input
          type="date"
          aria-label={t('date')}
          value={date}
          onChange={(e) => setDate(e.target.value)}
          style={{ width: 170 }}
        />
        <Input
          type="time"
          step={60 * c.store.rules.stepMinutes}
          aria-label={t('change.start')}
          value={time}
          onChange={(e) => setTime(e.target.value)}
          style={{ width: 130 }}
        />
      </div>
      {error && <Alert className="gap" type="error" showIcon title={error} />}
    </Modal>
  );
}
