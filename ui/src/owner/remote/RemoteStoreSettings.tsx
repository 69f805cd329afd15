// One store's settings through the cloud, with the same cards as at the store: its details and
// booking rules (门店), each room's price plan (房间与价格) and its calendar (日历), as its hub last
// published them, with each room's details as customers see them (photos, video, facilities...).
// Every change is an owner intent the store's hub answers: made, waiting while
// the store is offline (and told again once it answers), or refused in the store's words.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { remoteCalendar, remotePlans, remoteStore } from '../../api/owner-remote-client';
import { CalendarCard } from '../calendar/CalendarPage';
import { BookingRulesCard } from '../prices/BookingRulesCard';
import { RoomPlanCard } from '../prices/PricesPage';
import { StoreDetailsCard } from '../store/StorePage';
import { RemoteRooms } from './RemoteRooms';

interface StoreProps {
  storeId: string;
  storeName: string;
}

export function RemoteStore({ storeId, storeName }: StoreProps) {
  const { t } = useTranslation('owner');
  const source = remoteStore(storeId);
  return (
    <div className="gap" data-testid={`store-${storeId}`}>
      <p className="muted">{t('remote.settings.published')}</p>
      <div className="owner-grid">
        <StoreDetailsCard source={source} title={`${storeName} · ${t('store.title')}`} />
        <BookingRulesCard source={source} title={`${storeName} · ${t('rules.title')}`} />
      </div>
    </div>
  );
}

export function RemotePrices({ storeId, storeName }: StoreProps) {
  const { t } = useTranslation('owner');
  const [roomId, setRoomId] = useState<string | null>(null);
  return (
    <div className="gap" data-testid={`prices-${storeId}`}>
      <RemoteRooms storeId={storeId} storeName={storeName} />
      <RoomPlanCard
        source={remotePlans(storeId)}
        roomId={roomId}
        onRoomId={setRoomId}
        title={`${storeName} · ${t('prices.planTitle')}`}
      />
    </div>
  );
}

export function RemoteCalendar({ storeId, storeName }: StoreProps) {
  const { t } = useTranslation('owner');
  return (
    <div className="gap" data-testid={`calendar-${storeId}`}>
      <CalendarCard
        source={remoteCalendar(storeId)}
        title={`${storeName} · ${t('calendar.title')}`}
      />
    </div>
  );
}
