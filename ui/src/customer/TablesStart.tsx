// C14: starting a table: the room, the day, the time and length, how many players, when it gives
// up if not full, the game and the nickname the others see; the room's price split into shares
// (the odd fen to the starter) before paying; the store's notice to read and tick first. Paying
// my share asks the store to hold the room until the deadline.
import { useEffect, useMemo, useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate, useParams } from 'react-router';
import { Button, Checkbox, Input, NavBar, Selector } from 'antd-mobile';
import { useTranslation } from 'react-i18next';
import { splitShares } from '@roomhub/shared-types';
import { cloud, newRequestKey } from '../api/cloud-client';
import { isoInStore, localDate } from '../components/store-time';
import { yuan } from '../components/yuan';
import { storeTheme } from './store-theme';
import { tableRefusal, tablesCloud, useTablesWords } from './TablesCalls';
import './tables.css';

const HOUR = 3_600_000;

export function TablesStart() {
  useTablesWords();
  const { t } = useTranslation('tables');
  const navigate = useNavigate();
  const queries = useQueryClient();
  const { storeId = '' } = useParams();
  const page = useQuery({ queryKey: ['store', storeId], queryFn: () => cloud.store(storeId) });
  const tables = useQuery({
    queryKey: ['tables', storeId],
    queryFn: () => tablesCloud.list(storeId),
  });
  const store = page.data?.store;
  const zone = store?.timeZone ?? 'Asia/Shanghai';
  const rooms = (page.data?.rooms ?? []).filter((r) => r.capacity >= 2);
  const settings = tables.data?.settings;
  const games = t('form.games', { returnObjects: true }) as unknown as string[];

  const [roomId, setRoomId] = useState<string | null>(null);
  const [dayOffset, setDayOffset] = useState(0);
  const [hour, setHour] = useState<number | null>(null);
  const [length, setLength] = useState(2);
  const [seats, setSeats] = useState(4);
  const [before, setBefore] = useState(60);
  const [game, setGame] = useState(0);
  const [name, setName] = useState('');
  const [agreed, setAgreed] = useState(false);
  const [busy, setBusy] = useState(false);
  const [said, setSaid] = useState<{ text: string; refusal: boolean } | null>(null);
  const [key, setKey] = useState(newRequestKey);

  useEffect(() => {
    if (roomId === null && rooms.length)
      setRoomId((rooms.find((r) => r.capacity >= 4) ?? rooms[0]!).roomId);
  }, [roomId, rooms]);

  // Whole hours of the chosen day that start after the deadline could still be met.
  const now = Date.now();
  const day = localDate(now + dayOffset * 24 * HOUR, zone);
  const hours = useMemo(() => {
    const out: number[] = [];
    for (let h = 8; h <= 23; h++) {
      const at = Date.parse(
        `${day}T${String(h).padStart(2, '0')}:00:00${isoInStore(now, zone).slice(19)}`,
      );
      if (at - 30 * 60_000 > now) out.push(h);
    }
    return out;
  }, [day, now, zone]);
  useEffect(() => {
    if (hour === null || !hours.includes(hour)) setHour(hours[0] ?? null);
  }, [hour, hours]);

  const offset = isoInStore(now, zone).slice(19);
  const startIso = hour === null ? null : `${day}T${String(hour).padStart(2, '0')}:00:00${offset}`;
  const startAt = startIso ? Date.parse(startIso) : null;
  const endIso = startAt === null ? null : isoInStore(startAt + length * HOUR, zone);
  const deadlineIso = startAt === null ? null : isoInStore(startAt - before * 60_000, zone);
  const quote = useQuery({
    queryKey: ['my-quote', storeId, roomId, startIso, endIso],
    // The signed-in customer's price, with their member level, as the store will split it.
    queryFn: () => cloud.myQuote({ storeId, roomId: roomId!, start: startIso!, end: endIso! }),
    enabled: Boolean(roomId && startIso && endIso),
    retry: false,
  });
  const total = quote.data?.quote.total;
  let split: { share: number; starterShare: number } | null = null;
  try {
    split = total === undefined ? null : splitShares(total, seats);
  } catch {
    split = null;
  }

  const start = async () => {
    if (!agreed) return setSaid({ text: t('age.needed'), refusal: true });
    if (!roomId || !startIso || !endIso || !deadlineIso) return;
    setBusy(true);
    setSaid(null);
    try {
      const v = await tablesCloud.start(
        storeId,
        {
          roomId,
          start: startIso,
          end: endIso,
          seats,
          deadline: deadlineIso,
          title: games[game] ?? games[0]!,
          name: name.trim() || t('form.namePlaceholder'),
          ageConfirmed: true,
        },
        key,
      );
      await queries.invalidateQueries({ queryKey: ['my-tables'] });
      await queries.invalidateQueries({ queryKey: ['tables', storeId] });
      void navigate(`/stores/${storeId}/tables/${v.tableId}?started=1`);
    } catch (e) {
      setSaid({ text: tableRefusal(t, e, settings?.hours), refusal: true });
    } finally {
      setKey(newRequestKey());
      setBusy(false);
    }
  };

  return (
    <section className="tables-page" style={storeTheme(store)}>
      <NavBar onBack={() => void navigate(`/stores/${storeId}/tables`)}>{t('form.title')}</NavBar>
      {store && <p className="muted pad-x store-line">{store.name}</p>}
      <div className="pad table-form">
        {settings?.hours && (
          <p className="facts">
            {t('hours', { from: settings.hours.from, to: settings.hours.to })}
          </p>
        )}
        <h4>{t('form.room')}</h4>
        <Selector
          className="choices"
          columns={2}
          options={rooms.map((r) => ({ label: r.name, value: r.roomId }))}
          value={roomId ? [roomId] : []}
          onChange={(v) => v[0] && setRoomId(v[0])}
        />
        <h4>{t('form.day')}</h4>
        <Selector
          className="choices"
          columns={2}
          options={[
            { label: t('form.today'), value: 0 },
            { label: t('form.tomorrow'), value: 1 },
          ]}
          value={[dayOffset]}
          onChange={(v) => v[0] !== undefined && setDayOffset(v[0])}
        />
        <h4>{t('form.startAt')}</h4>
        <Selector
          className="choices"
          columns={4}
          options={hours.map((h) => ({ label: `${String(h).padStart(2, '0')}:00`, value: h }))}
          value={hour === null ? [] : [hour]}
          onChange={(v) => v[0] !== undefined && setHour(v[0])}
        />
        <h4>{t('form.hours')}</h4>
        <Selector
          className="choices"
          columns={4}
          options={[2, 3, 4, 5].map((h) => ({
            label: t('form.hoursOption', { count: h }),
            value: h,
          }))}
          value={[length]}
          onChange={(v) => v[0] !== undefined && setLength(v[0])}
        />
        <h4>{t('form.seats')}</h4>
        <Selector
          className="choices"
          columns={4}
          options={[2, 3, 4, 6].map((n) => ({
            label: t('form.seatsOption', { count: n }),
            value: n,
          }))}
          value={[seats]}
          onChange={(v) => v[0] !== undefined && setSeats(v[0])}
        />
        <h4>{t('form.deadline')}</h4>
        <Selector
          className="choices"
          columns={3}
          options={[30, 60, 120].map((m) => ({ label: t('form.before', { count: m }), value: m }))}
          value={[before]}
          onChange={(v) => v[0] !== undefined && setBefore(v[0])}
        />
        <h4>{t('form.game')}</h4>
        <Selector
          className="choices"
          columns={3}
          options={games.map((g, i) => ({ label: g, value: i }))}
          value={[game]}
          onChange={(v) => v[0] !== undefined && setGame(v[0])}
        />
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
      <div className="pay-bar">
        <p className="muted table-split">
          {split && total !== undefined
            ? t('form.price', {
                total: yuan(total),
                seats,
                share: yuan(split.share),
                starter: yuan(split.starterShare),
              })
            : quote.isError
              ? tableRefusal(t, quote.error, settings?.hours)
              : t('form.noPrice')}
        </p>
        {said && (
          <p
            className={said.refusal ? 'refusal' : 'waiting'}
            role={said.refusal ? 'alert' : 'status'}
          >
            {said.text}
          </p>
        )}
        <Button
          block
          color="primary"
          size="large"
          className="tall"
          loading={busy}
          disabled={!split || settings?.enabled === false}
          onClick={() => void start()}
        >
          {split ? t('form.pay', { share: yuan(split.starterShare) }) : t('form.title')}
        </Button>
      </div>
    </section>
  );
}
