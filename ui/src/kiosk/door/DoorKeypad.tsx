// The door-code keypad: a customer picks the room and types the booking's six-digit code; the hub
// checks it offline and pulses the room's lock.
import { useEffect, useState } from 'react';
import { useMutation } from '@tanstack/react-query';
import { Alert, Button, Result } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate, useSearchParams } from 'react-router';
import { hub } from '../../api/hub-client';
import { Keypad } from '../../components/Keypad';
import { refusalText } from '../../components/refusal';
import { useKiosk } from '../kiosk-context';

export function DoorKeypad() {
  const { t } = useTranslation('kiosk');
  const { rooms } = useKiosk();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [roomId, setRoomId] = useState<string | null>(params.get('room'));
  const [code, setCode] = useState('');
  const open = useMutation({
    mutationFn: () => hub.openWithCode(roomId!, code),
    onError: () => setCode(''),
  });
  const room = rooms.find((r) => r.id === roomId);
  // The customer has gone in: the next one finds the board, not this room's name.
  useEffect(() => {
    if (!open.isSuccess) return;
    const timer = window.setTimeout(() => navigate('/'), 15_000);
    return () => window.clearTimeout(timer);
  }, [open.isSuccess, navigate]);
  if (open.isSuccess) {
    return (
      <Result
        status="success"
        title={t('door.opened')}
        subTitle={room?.name}
        extra={
          <Button size="large" onClick={() => navigate('/')}>
            {t('common:backToBoard')}
          </Button>
        }
      />
    );
  }
  return (
    <section className="door">
      <h1>{t('door.heading')}</h1>
      <h2>{t('door.room')}</h2>
      <div className="choices">
        {rooms.map((r) => (
          <button
            key={r.id}
            type="button"
            className={`choice${r.id === roomId ? ' on' : ''}`}
            aria-pressed={r.id === roomId}
            onClick={() => setRoomId(r.id)}
          >
            {r.name}
          </button>
        ))}
      </div>
      <Keypad
        value={code}
        maxLength={6}
        onChange={setCode}
        placeholder={t('door.code')}
        testId="door-keypad"
      />
      {open.isError && <Alert type="error" showIcon title={refusalText(t, open.error)} />}
      <div className="actions">
        <Button size="large" onClick={() => navigate('/')}>
          {t('common:back')}
        </Button>
        <Button
          type="primary"
          size="large"
          // No spinner: a refused code leaves the button as it was, ready for the next try.
          disabled={!roomId || code.length !== 6 || open.isPending}
          data-testid="door-open"
          onClick={() => open.mutate()}
        >
          {roomId ? t('door.open') : t('door.pickRoom')}
        </Button>
      </div>
    </section>
  );
}
