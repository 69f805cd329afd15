// The kiosk's screens and what frames them: pairing first if this screen has no token, then the
// board, a walk-in booking, paying, the door code, and the door keypad. Any screen but the board
// goes back to the board after a minute untouched.
import { useCallback, useState } from 'react';
import { Route, Routes, useLocation, useNavigate } from 'react-router';
import { Spin } from 'antd';
import { useTranslation } from 'react-i18next';
import { screenToken } from '../api/screen-token';
import { useIdleReset } from '../components/use-idle-reset';
import { clockTime } from '../components/store-time';
import { useNow } from '../components/use-now';
import { KioskProvider, useKiosk } from './kiosk-context';
import { PairScreen } from './pairing/PairScreen';
import { RoomBoard } from './board/RoomBoard';
import { WalkIn } from './booking/WalkIn';
import { PayScreen } from './payment/PayScreen';
import { DoorCodeScreen } from './door/DoorCodeScreen';
import { DoorKeypad } from './door/DoorKeypad';

export function KioskApp() {
  const [paired, setPaired] = useState(() => screenToken() !== null);
  if (!paired) return <PairScreen onPaired={() => setPaired(true)} />;
  return (
    <KioskProvider
      fallback={
        <div className="kiosk-loading">
          <Spin size="large" />
        </div>
      }
    >
      <Frame />
    </KioskProvider>
  );
}

function Frame() {
  const { t } = useTranslation();
  const { store, now, stream, cloudOffline, forgetPasses } = useKiosk();
  const location = useLocation();
  const navigate = useNavigate();
  const toBoard = useCallback(() => {
    forgetPasses();
    navigate('/');
  }, [forgetPasses, navigate]);
  useIdleReset(location.pathname !== '/', toBoard);
  const tick = useNow(now);
  return (
    <div className="kiosk">
      <header className="kiosk-header">
        <button type="button" className="kiosk-store" onClick={toBoard}>
          {store.name}
        </button>
        <span className="kiosk-clock">{clockTime(tick, store.timeZone)}</span>
      </header>
      <main className="kiosk-main">
        <Routes>
          <Route path="/" element={<RoomBoard />} />
          <Route path="/book" element={<WalkIn />} />
          <Route path="/pay/:id" element={<PayScreen />} />
          <Route path="/done/:id" element={<DoorCodeScreen />} />
          <Route path="/door" element={<DoorKeypad />} />
          <Route path="*" element={<RoomBoard />} />
        </Routes>
      </main>
      {(stream === 'down' || cloudOffline) && (
        <footer className="kiosk-footer" role="status">
          {stream === 'down' ? t('hubDown') : t('cloudOffline')}
        </footer>
      )}
    </div>
  );
}
