// C14: a store's tables waiting for players (等人拼桌): each game's time, room, seats left and
// the share each player pays, with the store's notice and game hours; my own tables at the store
// (waiting, full with the door code, or released and refunded); and a way to start one. Nothing
// here settles anything between players.
import { useQuery } from '@tanstack/react-query';
import { useNavigate, useParams } from 'react-router';
import { Button, NavBar } from 'antd-mobile';
import { useTranslation } from 'react-i18next';
import type { TableView } from '@roomhub/shared-types';
import { cloud, customerToken } from '../api/cloud-client';
import { yuan } from '../components/yuan';
import { storeTheme } from './store-theme';
import { dayOf, tableRefusal, tablesCloud, timeOf, useTablesWords } from './TablesCalls';
import './tables.css';

/** A table in a list; `onOpen` with the words for it (none on the table's own page). */
export function TableCard({
  table,
  onOpen,
  openWord = 'open',
}: {
  table: TableView;
  onOpen?: () => void;
  openWord?: 'open' | 'see';
}) {
  useTablesWords();
  const { t } = useTranslation('tables');
  return (
    <li className="card table-card">
      <div className="table-head">
        <strong>{table.title}</strong>
        <span className={`table-status ${table.status}`}>
          {table.status === 'open'
            ? t('seatsLeft', { count: table.seatsLeft })
            : t(`status.${table.status}`)}
        </span>
      </div>
      <p className="muted">
        {t('when', { date: dayOf(table.start), from: timeOf(table.start), to: timeOf(table.end) })}
        {' · '}
        {table.roomName}
      </p>
      <p className="table-price">
        <span className="price">{t('share', { share: yuan(table.share) })}</span>
        {table.starterShare !== table.share && (
          <span className="muted"> · {t('starterShare', { share: yuan(table.starterShare) })}</span>
        )}
      </p>
      <div className="seats" aria-label={t('players', { names: '' })}>
        {Array.from({ length: table.seats }, (_, i) => {
          const p = table.players.find((x) => x.seat === i + 1);
          return (
            <span key={i} className={p ? 'seat taken' : 'seat'}>
              {p ? p.name.slice(0, 4) : i + 1}
            </span>
          );
        })}
      </div>
      {table.status === 'open' && (
        <p className="hint">
          {t('deadline', { time: `${dayOf(table.deadline)} ${timeOf(table.deadline)}` })}
        </p>
      )}
      {onOpen && (
        <Button block color="primary" className="tall" onClick={onOpen}>
          {t(openWord)}
        </Button>
      )}
    </li>
  );
}

export function TablesPage() {
  useTablesWords();
  const { t } = useTranslation('tables');
  const navigate = useNavigate();
  const { storeId = '' } = useParams();
  const page = useQuery({ queryKey: ['store', storeId], queryFn: () => cloud.store(storeId) });
  const tables = useQuery({
    queryKey: ['tables', storeId],
    queryFn: () => tablesCloud.list(storeId),
    refetchInterval: 10_000,
  });
  const mine = useQuery({
    queryKey: ['my-tables'],
    queryFn: () => tablesCloud.mine(),
    enabled: Boolean(customerToken()),
    refetchInterval: 10_000,
  });
  const settings = tables.data?.settings;
  const myHere = (mine.data ?? []).filter((m) => m.storeId === storeId);
  const others = (tables.data?.tables ?? []).filter(
    (x) => !myHere.some((m) => m.tableId === x.tableId),
  );
  const open = (tableId: string) => void navigate(`/stores/${storeId}/tables/${tableId}`);
  return (
    <section className="tables-page" style={storeTheme(page.data?.store)}>
      <NavBar onBack={() => void navigate(`/stores/${storeId}`)}>{t('title')}</NavBar>
      {page.data && <p className="muted pad-x store-line">{page.data.store.name}</p>}
      <div className="pad-x">
        <p className="tables-intro">{t('intro')}</p>
        {settings?.hours && (
          <p className="facts">
            {t('hours', { from: settings.hours.from, to: settings.hours.to })}
          </p>
        )}
        {settings?.ageNotice && <p className="age-notice">{settings.ageNotice}</p>}
        {tables.isError && (
          <p className="refusal" role="alert">
            {tableRefusal(t, tables.error)}
          </p>
        )}
        {settings && !settings.enabled ? (
          <p className="hint">{t('off')}</p>
        ) : (
          <Button
            block
            color="primary"
            size="large"
            className="tall"
            onClick={() =>
              void navigate(
                customerToken()
                  ? `/stores/${storeId}/tables/new`
                  : `/sign-in?next=/stores/${storeId}/tables/new`,
              )
            }
          >
            {t('start')}
          </Button>
        )}
      </div>
      {myHere.length > 0 && (
        <>
          <h3 className="pad-x">{t('mine')}</h3>
          <ul className="cards">
            {myHere.map((m) => (
              <TableCard key={m.tableId} table={m} openWord="see" onOpen={() => open(m.tableId)} />
            ))}
          </ul>
        </>
      )}
      <h3 className="pad-x">{t('title')}</h3>
      {tables.data && tables.data.tables.length === 0 && <p className="hint pad-x">{t('none')}</p>}
      <ul className="cards">
        {others.map((x) => (
          <TableCard key={x.tableId} table={x} onOpen={() => open(x.tableId)} />
        ))}
      </ul>
    </section>
  );
}
