// The kiosk's screens and what frames them: pairing first if this screen has no token, then the
// board, a walk-in booking, paying, the door code, the door keypad, and the booking a customer
// shows the kiosk (its time left, extending it, its door). Any screen but the board
// goes back to the board after a minute untouched.
import { lazy, Suspense, useCallback, useEffect, useState } from 'react';
import { Route, Routes, useLocation, useNavigate } from 'react-router';
import { Button, Result, Spin } from 'antd';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { onScreenTokenForgotten, screenToken } from '../api/screen-token';
import { refusalText } from '../components/refusal';
import { useIdleReset } from '../components/use-idle-reset';
import { clockTime } from '../components/store-time';
import { useNow } from '../components/use-now';
import { KioskProvider, useKiosk } from './kiosk-context';
import { PairScreen } from './pairing/PairScreen';
import { RoomBoard } from './board/RoomBoard';

// The board is the first screen; the others (and what only they use: the payment QR, the price
// lines) load after it is up, so a cold start parses only what the board needs.
const screens = {
  walkIn: () => import('./booking/WalkIn').then((m) => ({ default: m.WalkIn })),
  pay: () => import('./payment/PayScreen').then((m) => ({ default: m.PayScreen })),
  doorCode: () => import('./door/DoorCodeScreen').then((m) => ({ default: m.DoorCodeScreen })),
  doorKeypad: () => import('./door/DoorKeypad').then((m) => ({ default: m.DoorKeypad })),
  prove: () => import('./session/ProveBooking').then((m) => ({ default: m.ProveBooking })),
  session: () => import('./session/SessionScreen').then((m) => ({ default: m.SessionScreen })),
};
const WalkIn = lazy(screens.walkIn);
const PayScreen = lazy(screens.pay);
const DoorCodeScreen = lazy(screens.doorCode);
const DoorKeypad = lazy(screens.doorKeypad);
const ProveBooking = lazy(screens.prove);
const SessionScreen = lazy(screens.session);

/** Fetches the other screens a second after the kiosk's frame is up: a tap shows them at once. */
function usePreloadScreens() {
  useEffect(() => {
    const load = () => Object.values(screens).forEach((s) => void s().catch(() => undefined));
    const id = window.setTimeout(load, 1_000);
    return () => window.clearTimeout(id);
  }, []);
}

export function KioskApp() {
  const [paired, setPaired] = useState(() => screenToken() !== null);
  // Unpaired by the owner: the next call the hub refuses for it brings the pairing screen back.
  useEffect(() => onScreenTokenForgotten(() => setPaired(false)), []);
  if (!paired) return <PairScreen onPaired={() => setPaired(true)} />;
  return (
    <KioskProvider fallback={(refusal) => <Waiting refusal={refusal} />}>
      <Frame />
    </KioskProvider>
  );
}

/**
 * Until the store is read: the kiosk's frame saying it is loading, drawn without Ant Design's
 * styles so it is painted at once (before the hub answers); or why the store cannot be read and a
 * way to try again.
 */
function Waiting({ refusal }: { refusal: unknown }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  return (
    <div className="kiosk">
      <header className="kiosk-header">
        <span className="kiosk-store" style={{ lineHeight: '56px' }}>
          {t('loading')}
        </span>
      </header>
      <main className="kiosk-main" style={{ display: 'grid', placeItems: 'center' }}>
        {refusal ? (
          <Result
            status="warning"
            title={refusalText(t, refusal)}
            extra={
              <Button size="large" type="primary" onClick={() => void client.refetchQueries()}>
                {t('retry')}
              </Button>
            }
          />
        ) : null}
      </main>
    </div>
  );
}

function Frame() {
  const { t } = useTranslation();
  const { store, now, stream, cloudOffline, forgetPasses } = useKiosk();
  const location = useLocation();
  const navigate = useNavigate();
  const client = useQueryClient();
  const toBoard = useCallback(() => {
    forgetPasses();
    // The hub's clock read again at every return to the board: a screen left on for weeks drifts.
    void client.invalidateQueries({ queryKey: ['health'] });
    navigate('/');
  }, [forgetPasses, navigate, client]);
  useIdleReset(location.pathname !== '/', toBoard);
  usePreloadScreens();
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
        <Suspense fallback={<Spin size="large" />}>
          <Routes>
            <Route path="/" element={<RoomBoard />} />
            <Route path="/book" element={<WalkIn />} />
            <Route path="/pay/:id" element={<PayScreen />} />
            <Route path="/done/:id" element={<DoorCodeScreen />} />
            <Route path="/door" element={<DoorKeypad />} />
            <Route path="/mine" element={<ProveBooking />} />
            <Route path="/session/:id" element={<SessionScreen />} />
            <Route path="*" element={<RoomBoard />} />
          </Routes>
        </Suspense>
      </main>
      {(stream === 'down' || cloudOffline) && (
        <footer className="kiosk-footer" role="status">
          {stream === 'down' ? t('hubDown') : t('cloudOffline')}
        </footer>
      )}
    </div>
  );
}
