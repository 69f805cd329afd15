// C1, C12: on the home page, rooms, times and deals the cloud recommends to a signed-in customer,
// each with why in a few words (booked before, a style they like, near...). Nothing when the cloud
// knows nothing of them yet; quiet when it cannot answer (the stores below still show).
import { useQuery } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { cloud, customerToken } from '../api/cloud-client';
import { yuan } from '../components/yuan';
import './store-theme.css';

export function Recommended({ near }: { near: { lat: number; lng: number } | undefined }) {
  const { t } = useTranslation('customer');
  const navigate = useNavigate();
  const signedIn = Boolean(customerToken());
  const recs = useQuery({
    queryKey: ['recommendations', near?.lat, near?.lng],
    queryFn: () => cloud.recommendations(near),
    enabled: signedIn,
    staleTime: 60_000,
  });
  // A few on the home page: the rooms first, then a deal, so the stores below stay in sight.
  const all = recs.data?.recommendations ?? [];
  const list = [
    ...all.filter((r) => r.kind === 'room').slice(0, 3),
    ...all.filter((r) => r.kind === 'deal').slice(0, 1),
  ];
  if (!signedIn || list.length === 0) return null;
  return (
    <section className="recommend" aria-label={t('recommend.title')}>
      <h3>{t('recommend.title')}</h3>
      <ul className="cards">
        {list.map((r) => (
          <li key={`${r.kind}-${r.storeId}-${r.roomId ?? r.dealId}`} className="card">
            <button
              className="card-main"
              onClick={() =>
                void navigate(
                  r.kind === 'deal' ? `/stores/${r.storeId}/deals` : `/stores/${r.storeId}`,
                )
              }
            >
              <strong>
                {r.kind === 'deal' ? r.dealTitle : `${r.storeName} · ${r.roomName ?? ''}`}
              </strong>
              <span className="muted">
                {r.kind === 'deal'
                  ? t('recommend.deal', { store: r.storeName, price: yuan(r.price) })
                  : t('recommend.room', { price: yuan(r.price) })}
                {r.usualStart && ` · ${t('recommend.usual', { time: r.usualStart })}`}
              </span>
              <span className="why">
                {r.reasons.map((why) => t(`recommend.why.${why}`)).join(' · ')}
              </span>
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
