// C2, C3, C10: a store's page: its name, address, hours and phone, a map link, its deals and
// wallet top-ups, and each room with its capacity, facilities, photos and video, reviews, price
// and today's timeline, with a button to book it.
import { useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate, useParams } from 'react-router';
import { Button, NavBar } from 'antd-mobile';
import { useTranslation } from 'react-i18next';
import { cloud, customerToken } from '../api/cloud-client';
import { shareCodeFor } from './share-code';
import { localDate } from '../components/store-time';
import { yuan } from '../components/yuan';
import { DayTimeline } from './DayTimeline';
import { RoomMedia } from './RoomMedia';
import { RoomReviewList } from './RoomReviewList';
import { customerRefusal } from './refusal-text';
import { mapLink } from './where';
import { storeTheme } from './store-theme';
import { WeekCalendar } from './WeekCalendar';
import { TablesLink } from './TablesLinks';

export function StoreDetail() {
  const { t } = useTranslation('customer');
  const navigate = useNavigate();
  const { storeId = '' } = useParams();
  const page = useQuery({ queryKey: ['store', storeId], queryFn: () => cloud.store(storeId) });
  const store = page.data?.store;
  const today = store ? localDate(Date.now(), store.timeZone) : '';
  const queries = useQueryClient();
  const memberships = useQuery({
    queryKey: ['my-memberships'],
    queryFn: () => cloud.memberships(),
    enabled: Boolean(customerToken()),
  });
  const member = memberships.data?.memberships.some((m) => m.storeId === storeId);
  const [joined, setJoined] = useState<{ text: string; refusal: boolean } | null>(null);
  const join = async () => {
    if (!customerToken()) return void navigate(`/sign-in?next=/stores/${storeId}`);
    try {
      const v = await cloud.joinStore(storeId, shareCodeFor(storeId));
      setJoined({
        text: v.state === 'waiting' ? t('book.waiting') : t('store.joined'),
        refusal: false,
      });
      await queries.invalidateQueries({ queryKey: ['my-memberships'] });
    } catch (e) {
      setJoined({ text: customerRefusal(t, e), refusal: true });
    }
  };
  return (
    <section className="store-page" style={storeTheme(store)}>
      <NavBar onBack={() => void navigate('/')}>{store?.name ?? t('store.title')}</NavBar>
      {page.isError && (
        <p className="refusal pad-x" role="alert">
          {customerRefusal(t, page.error)}
        </p>
      )}
      {store && (
        <div className="store-head pad-x">
          {store.logo && <img className="store-logo" src={store.logo} alt={store.name} />}
          <h1 className="store-name">{store.name}</h1>
          <p className="muted">{store.address}</p>
          <p className="facts">
            <span>{t('store.hours', { open: store.hours.open, close: store.hours.close })}</span>
            {store.phone && (
              <a className="link" href={`tel:${store.phone}`}>
                {t('store.call')}
              </a>
            )}
            {store.location && (
              <a
                className="link"
                href={mapLink({ name: store.name, location: store.location })}
                target="_blank"
                rel="noreferrer"
              >
                {t('stores.map')}
              </a>
            )}
          </p>
          {member || (joined && !joined.refusal) ? (
            <p className="waiting member-line">{joined?.text ?? t('store.member')}</p>
          ) : (
            // Offered once it is known the customer is not a member (never a tap that joins a
            // member again while their memberships are still on the way).
            !(memberships.isFetching && memberships.data === undefined) && (
              <Button block className="tall" onClick={() => void join()}>
                {t('store.join')}
              </Button>
            )
          )}
          {joined?.refusal && (
            <p className="refusal" role="alert">
              {joined.text}
            </p>
          )}
          <div className="store-actions">
            <Button className="tall" onClick={() => void navigate(`/stores/${storeId}/deals`)}>
              {t('deals.title')}
            </Button>
            <Button className="tall" onClick={() => void navigate(`/stores/${storeId}/tea`)}>
              {t('tea.title')}
            </Button>
            <Button className="tall" onClick={() => void navigate(`/stores/${storeId}/top-up`)}>
              {t('topUp.title')}
            </Button>
            <Button className="tall" onClick={() => void navigate(`/chats/new/${storeId}`)}>
              {t('talk:chat.start')}
            </Button>
            <TablesLink storeId={storeId} />
          </div>
        </div>
      )}
      <ul className="cards">
        {page.data?.rooms.map((r) => (
          <li key={r.roomId} className="card room">
            <div className="room-head">
              <strong>{r.name}</strong>
              <span className="price">
                {t('stores.fromPrice', { price: yuan(r.fromPricePerHour) })}
              </span>
            </div>
            <p className="muted">
              {t('store.capacity', { count: r.capacity })}
              {r.areaSqm > 0 && ` · ${r.areaSqm} m²`}
              {r.style && ` · ${r.style}`}
            </p>
            {r.facilities.length > 0 && <p className="muted">{r.facilities.join(' · ')}</p>}
            <RoomMedia room={r} />
            <RoomReviewList storeId={storeId} roomId={r.roomId} timeZone={store!.timeZone} />
            <h4>{t('store.today')}</h4>
            <DayTimeline
              storeId={storeId}
              roomId={r.roomId}
              date={today}
              timeZone={store!.timeZone}
            />
            <h4>{t('week.title')}</h4>
            <WeekCalendar storeId={storeId} roomId={r.roomId} from={today} />
            <Button
              block
              color="primary"
              className="tall"
              onClick={() => void navigate(`/stores/${storeId}/book/${r.roomId}`)}
            >
              {t('store.book')}
            </Button>
          </li>
        ))}
      </ul>
    </section>
  );
}
