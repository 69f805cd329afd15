// C2: narrowing "stores near" by distance, price per hour, room style and party size, one row of
// choices each; a tap again on a choice takes it off.
import { Selector } from 'antd-mobile';
import { useTranslation } from 'react-i18next';
import type { StoreFilters } from '../api/cloud-client';
import { ROOM_STYLES } from './MyProfile';
import './store-theme.css';

const DISTANCES = [1, 3, 5, 10];
const PRICES = [
  { key: 'low', priceMax: 5000 },
  { key: 'mid', priceMin: 5000, priceMax: 10000 },
  { key: 'high', priceMin: 10000 },
] as const;
const CAPACITIES = [2, 4, 6, 8];

export function StoreFilterBar({
  value,
  onChange,
}: {
  value: StoreFilters;
  onChange: (f: StoreFilters) => void;
}) {
  const { t } = useTranslation('customer');
  const price = PRICES.find(
    (p) =>
      ('priceMin' in p ? p.priceMin : undefined) === value.priceMin &&
      ('priceMax' in p ? p.priceMax : undefined) === value.priceMax,
  )?.key;
  return (
    <div className="filters" aria-label={t('filters.title')}>
      <div className="filter-row">
        <span>{t('filters.distance')}</span>
        <Selector
          options={DISTANCES.map((km) => ({ label: t('filters.km', { km }), value: km }))}
          value={value.maxKm !== undefined ? [value.maxKm] : []}
          onChange={(v) => onChange({ ...value, maxKm: v[0] })}
        />
      </div>
      <div className="filter-row">
        <span>{t('filters.price')}</span>
        <Selector
          options={PRICES.map((p) => ({ label: t(`filters.prices.${p.key}`), value: p.key }))}
          value={price ? [price] : []}
          onChange={(v) => {
            const p = PRICES.find((x) => x.key === v[0]);
            onChange({
              ...value,
              priceMin: p && 'priceMin' in p ? p.priceMin : undefined,
              priceMax: p && 'priceMax' in p ? p.priceMax : undefined,
            });
          }}
        />
      </div>
      <div className="filter-row">
        <span>{t('filters.style')}</span>
        <Selector
          options={ROOM_STYLES.map((s) => ({ label: t(`account.style.${s}`), value: s }))}
          value={value.style ? [value.style] : []}
          onChange={(v) => onChange({ ...value, style: v[0] })}
        />
      </div>
      <div className="filter-row">
        <span>{t('filters.capacity')}</span>
        <Selector
          options={CAPACITIES.map((n) => ({ label: t('filters.people', { count: n }), value: n }))}
          value={value.capacity !== undefined ? [value.capacity] : []}
          onChange={(v) => onChange({ ...value, capacity: v[0] })}
        />
      </div>
    </div>
  );
}
