// C2: stores near the customer, nearest first, with the distance, whether open now, the lowest
// hourly price and a link to the map; a tap opens the store's page.
import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import { Button, NavBar } from 'antd-mobile';
import { useTranslation } from 'react-i18next';
import { cloud, type StoreFilters } from '../api/cloud-client';
import { yuan } from '../components/yuan';
import { customerRefusal } from './refusal-text';
import { distanceText, mapLink, whereAmI } from './where';
import { Recommended } from './Recommended';
import { PlatformBanners } from './PlatformBanners';
import { StoreFilterBar } from './StoreFilterBar';

export function StoresNear({ onLang }: { onLang: () => void }) {
  const { t } = useTranslation('customer');
  const navigate = useNavigate();
  const where = useQuery({ queryKey: ['where'], queryFn: () => whereAmI(), staleTime: 300_000 });
  const [filters, setFilters] = useState<StoreFilters>({});
  const [filtering, setFiltering] = useState(false);
  const filtered = Object.values(filters).some((v) => v !== undefined);
  const stores = useQuery({
    queryKey: ['stores', where.data?.lat, where.data?.lng, filters],
    queryFn: () => cloud.searchStores(where.data!, filters),
    enabled: Boolean(where.data),
  });
  return (
    <section>
      <NavBar
        back={null}
        right={
          <Button size="small" fill="none" className="lang" onClick={onLang}>
            {t('lang')}
          </Button>
        }
      >
        {t('stores.title')}
      </NavBar>
      <PlatformBanners />
      <Recommended near={where.data?.located ? where.data : undefined} />
      <p className="hint pad-x filter-line">
        {where.data && !where.data.located ? t('stores.fromCentre') : t('stores.fromYou')}
        <Button size="small" fill="outline" onClick={() => setFiltering((f) => !f)}>
          {filtered ? t('filters.on') : t('filters.title')}
        </Button>
      </p>
      {filtering && <StoreFilterBar value={filters} onChange={setFilters} />}
      {stores.isError && (
        <p className="refusal pad-x" role="alert">
          {customerRefusal(t, stores.error)}
        </p>
      )}
      {stores.isPending && where.data && <p className="hint pad-x">{t('loading')}</p>}
      {stores.data?.stores.length === 0 && (
        <p className="hint pad-x">{filtered ? t('filters.none') : t('stores.none')}</p>
      )}
      <ul className="cards">
        {stores.data?.stores.map((s) => (
          <li key={s.storeId} className="card">
            <button className="card-main" onClick={() => void navigate(`/stores/${s.storeId}`)}>
              <strong className="store-name">{s.name}</strong>
              <span className="muted">{s.address}</span>
              <span className="facts">
                {s.distanceKm !== null && <span>{distanceText(s.distanceKm)}</span>}
                <span className={s.openNow ? 'open' : 'closed'}>
                  {s.openNow ? t('stores.open') : t('stores.closed')} {s.hours.open}–{s.hours.close}
                </span>
                <span className="price">
                  {t('stores.fromPrice', { price: yuan(s.fromPricePerHour) })}
                </span>
              </span>
            </button>
            <a className="map-link" href={mapLink(s)} target="_blank" rel="noreferrer">
              {t('stores.map')}
            </a>
          </li>
        ))}
      </ul>
    </section>
  );
}
