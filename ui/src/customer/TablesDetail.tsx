// C14: one table, as its invitation link opens it: the game, the room and time, who sits where
// and the seats left, the share to pay, the store's notice to tick before joining. A player sees
// their seat and share; once the table is full, the door code; if it was released, that their
// share went back. The starter copies the link to send to friends.
import { useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useLocation, useNavigate, useParams, useSearchParams } from 'react-router';
import { Button, Checkbox, Input, NavBar } from 'antd-mobile';
import { useTranslation } from 'react-i18next';
import { cloud, customerToken, newRequestKey } from '../api/cloud-client';
import { QrImage } from '../components/QrImage';
import { yuan } from '../components/yuan';
import { storeTheme } from './store-theme';
import { TableCard } from './TablesPage';
import { tableRefusal, tablesCloud, useTablesWords } from './TablesCalls';
import './tables.css';

export function TablesDetail() {
  useTablesWords();
  const { t } = useTranslation('tables');
  const navigate = useNavigate();
  const location = useLocation();
  const queries = useQueryClient();
  const [search] = useSearchParams();
  const { storeId = '', tableId = '' } = useParams();
  const page = useQuery({ queryKey: ['store', storeId], queryFn: () => cloud.store(storeId) });
  const table = useQuery({
    queryKey: ['table', storeId, tableId],
    queryFn: () => tablesCloud.one(storeId, tableId),
    refetchInterval: 5_000,
  });
  const rules = useQuery({
    queryKey: ['tables', storeId],
    queryFn: () => tablesCloud.list(storeId),
  });
  const signedIn = Boolean(customerToken());
  const mine = useQuery({
    queryKey: ['my-tables'],
    queryFn: () => tablesCloud.mine(),
    enabled: signedIn,
    refetchInterval: 5_000,
  });
  const me = mine.data?.find((m) => m.tableId === tableId && m.storeId === storeId);
  const settings = rules.data?.settings;
  const [name, setName] = useState('');
  const [agreed, setAgreed] = useState(false);
  const [busy, setBusy] = useState(false);
  const [key, setKey] = useState(newRequestKey);
  const [said, setSaid] = useState<{ text: string; refusal: boolean } | null>(
    search.get('started') ? { text: t('join.started'), refusal: false } : null,
  );

  const join = async () => {
    if (!signedIn) return void navigate(`/sign-in?next=${encodeURIComponent(location.pathname)}`);
    if (!agreed) return setSaid({ text: t('age.needed'), refusal: true });
    setBusy(true);
    setSaid(null);
    try {
      const v = await tablesCloud.join(
        storeId,
        tableId,
        name.trim() || t('form.namePlaceholder'),
        key,
      );
      setSaid({ text: v.state === 'waiting' ? t('join.waiting') : t('join.done'), refusal: false });
      await queries.invalidateQueries({ queryKey: ['my-tables'] });
      await queries.invalidateQueries({ queryKey: ['table', storeId, tableId] });
    } catch (e) {
      setSaid({ text: tableRefusal(t, e, settings?.hours), refusal: true });
    } finally {
      setKey(newRequestKey());
      setBusy(false);
    }
  };

  const share = async () => {
    const link = `${window.location.origin}/h5/stores/${storeId}/tables/${tableId}`;
    try {
      await navigator.clipboard.writeText(link);
    } catch {
      // No clipboard in this web-view: the link is shown below to copy by hand.
    }
    setSaid({ text: t('join.copied'), refusal: false });
  };

  const v = table.data;
  return (
    <section className="tables-page" style={storeTheme(page.data?.store)}>
      <NavBar onBack={() => void navigate(`/stores/${storeId}/tables`)}>{t('join.title')}</NavBar>
      {page.data && <p className="muted pad-x store-line">{page.data.store.name}</p>}
      {table.isError && (
        <p className="refusal pad-x" role="alert">
          {tableRefusal(t, table.error)}
        </p>
      )}
      {v && (
        <ul className="cards">
          <TableCard table={me ?? v} />
        </ul>
      )}
      <div className="pad-x">
        {me && (
          <div className="my-seat">
            {me.status !== 'released' && (
              <p className="waiting">
                {t('join.seated', { seat: me.mySeat, share: yuan(me.myShare) })}
              </p>
            )}
            {me.status === 'filled' && me.door && (
              <div className="door-box">
                <h3>{t('join.door')}</h3>
                <p className="entry-code" aria-label={t('join.door')}>
                  {me.door.entryCode.slice(0, 3)} {me.door.entryCode.slice(3)}
                </p>
                <div className="qr-box">
                  <QrImage text={me.door.qr} size={160} alt={t('join.door')} />
                </div>
                <p className="hint">{t('join.doorHint')}</p>
              </div>
            )}
            {me.status === 'released' && (
              <p className="refusal" role="status">
                {me.refunded
                  ? t('join.refunded', { share: yuan(me.myShare) })
                  : t('join.refundPending', { share: yuan(me.myShare) })}
              </p>
            )}
          </div>
        )}
        {v && !me && v.status === 'open' && (
          <div className="table-form">
            <h4>{t('form.name')}</h4>
            <Input
              className="name-input"
              placeholder={t('form.namePlaceholder')}
              maxLength={20}
              value={name}
              onChange={setName}
            />
            <div className="age-box">
              <h4>{t('age.title')}</h4>
              {settings?.ageNotice && <p className="age-notice">{settings.ageNotice}</p>}
              <p className="muted">{t('age.rules')}</p>
              <Checkbox
                checked={agreed}
                onChange={(v) => {
                  setAgreed(v);
                  setSaid(null);
                }}
              >
                {t('age.confirm')}
              </Checkbox>
            </div>
          </div>
        )}
        {v && !me && v.status !== 'open' && <p className="hint">{t(`status.${v.status}`)}</p>}
      </div>
      <div className="pay-bar">
        {said && (
          <p
            className={said.refusal ? 'refusal' : 'waiting'}
            role={said.refusal ? 'alert' : 'status'}
          >
            {said.text}
          </p>
        )}
        {v && !me && v.status === 'open' && (
          <Button
            block
            color="primary"
            size="large"
            className="tall"
            loading={busy}
            onClick={() => void join()}
          >
            {signedIn ? t('join.pay', { share: yuan(v.share) }) : t('join.signIn')}
          </Button>
        )}
        {v?.status === 'open' && (
          <Button block className="tall" onClick={() => void share()}>
            {t('join.share')}
          </Button>
        )}
      </div>
    </section>
  );
}
