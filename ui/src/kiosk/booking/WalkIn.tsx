// A walk-in booking at the kiosk: the room, the time (by the hour, a session package or a custom
// end on the store's step), how many people, a mobile number with what it is used for, and the
// price line by line from the hub's quote before anything is booked.
import { useMemo, useState, type ReactNode } from 'react';
import { useMutation, useQuery } from '@tanstack/react-query';
import { Alert, Button, Spin } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate, useSearchParams } from 'react-router';
import type { QuoteRequest, Room, Segment } from '@roomhub/shared-types';
import { hub } from '../../api/hub-client';
import { Keypad } from '../../components/Keypad';
import { refusalText } from '../../components/refusal';
import {
  clockTime,
  isoInStore,
  localDate,
  offsetOf,
  startChoices,
} from '../../components/store-time';
import { yuan } from '../../components/yuan';
import { useKiosk } from '../kiosk-context';
import { lineText } from './quote-lines';
import { MOBILE_NUMBER } from '@roomhub/shared-types';

type Length =
  | { mode: 'hours'; minutes: number }
  | { mode: 'package'; packageId: string }
  | { mode: 'custom'; end: number };

const MINUTE = 60_000;

/** The end of the free stretch `t` falls in, or null when it is not free. */
function freeUntil(segments: Segment[] | undefined, t: number): number | null {
  const s = segments?.find((x) => Date.parse(x.start) <= t && t < Date.parse(x.end));
  return s && s.state === 'free' ? Date.parse(s.end) : null;
}

export function WalkIn() {
  const { t } = useTranslation('kiosk');
  const { store, rooms, now, keepPass } = useKiosk();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [roomId, setRoomId] = useState<string | null>(params.get('room'));
  const [start, setStart] = useState<number | null>(
    params.get('start') ? Number(params.get('start')) : null,
  );
  const [mode, setMode] = useState<Length['mode']>('hours');
  const [length, setLength] = useState<Length | null>(null);
  const [party, setParty] = useState(2);
  const [phone, setPhone] = useState('');

  const zone = store.timeZone;
  const today = localDate(now(), zone);
  const board = useQuery({ queryKey: ['board', today], queryFn: () => hub.board(today) });
  const room = rooms.find((r) => r.id === roomId) ?? null;
  const segments = board.data?.rooms.find((r) => r.room.id === roomId)?.segments;
  const rules = { ...store.rules, ...(room?.rules ?? {}) };
  const step = rules.stepMinutes;

  const starts = useMemo(() => {
    if (!segments) return [];
    const dayEnd = Date.parse(segments.at(-1)!.end);
    const nowFree = (x: number) => freeUntil(segments, Math.max(x, now()));
    const all = startChoices(now(), step, dayEnd, 48).filter((x) => {
      const until = nowFree(x);
      return until !== null && until - Math.max(x, now()) >= rules.minMinutes * MINUTE;
    });
    const shown = all.slice(0, 12);
    // A later time tapped on the board stays offered beside the nearest ones.
    const tapped = Number(params.get('start'));
    if (tapped && all.includes(tapped) && !shown.includes(tapped)) shown.push(tapped);
    return shown;
  }, [segments, step, now, rules.minMinutes, params]);

  // What the chosen start leaves free: no choice runs into the next booking.
  const until = start !== null ? freeUntil(segments, Math.max(start, now())) : null;
  const hourChoices = [1, 2, 3, 4, 5, 6]
    .map((h) => h * 60)
    .filter((m) => m >= rules.minMinutes && m <= rules.maxMinutes)
    .filter((m) => start !== null && until !== null && start + m * MINUTE <= until);
  const endChoices: number[] = [];
  if (start !== null && until !== null) {
    for (let m = rules.minMinutes; m <= rules.maxMinutes && endChoices.length < 16; m += step) {
      if (start + m * MINUTE > until) break;
      endChoices.push(start + m * MINUTE);
    }
  }
  const offset = offsetOf(now(), zone);
  const packages = (room?.pricePlan.packages ?? [])
    .map((p) => ({ ...p, at: Date.parse(`${today}T${p.start}:00${offset}`) }))
    // A package starts at its own time: one already under way is not sold any more today.
    .filter((p) => p.at >= now());

  const request: QuoteRequest | null = (() => {
    if (!room || !length) return null;
    if (length.mode === 'package') {
      const p = packages.find((x) => x.id === length.packageId);
      return p ? { roomId: room.id, start: isoInStore(p.at, zone), packageId: p.id } : null;
    }
    if (start === null) return null;
    const end = length.mode === 'hours' ? start + length.minutes * MINUTE : length.end;
    return { roomId: room.id, start: isoInStore(start, zone), end: isoInStore(end, zone) };
  })();

  // With the phone, the quote is the member's price, as the booking will be.
  const quoted = request && MOBILE_NUMBER.test(phone) ? { ...request, phone } : request;
  const quote = useQuery({
    queryKey: ['quote', quoted],
    queryFn: () => hub.quote(quoted!),
    enabled: request !== null,
    retry: false,
  });
  const book = useMutation({
    mutationFn: () => hub.book({ ...request!, partySize: party, customer: { phone } }),
    onSuccess: (made) => {
      if (made.pass) keepPass(made.id, made.pass.pass);
      navigate(`/pay/${made.id}`);
    },
  });

  const pickRoom = (r: Room) => {
    setRoomId(r.id);
    setLength(null);
    setParty((p) => Math.min(p, r.capacity));
  };
  const pickStart = (x: number) => {
    setStart(x);
    if (length?.mode !== 'package') setLength(null);
  };
  const packageName =
    length?.mode === 'package'
      ? (packages.find((p) => p.id === length.packageId)?.name ?? null)
      : null;
  const ready = request !== null && MOBILE_NUMBER.test(phone) && quote.isSuccess;

  return (
    <section className="walk-in">
      <h1>{t('book.heading')}</h1>
      <div className="walk-in-grid">
        <div>
          <h2>{t('book.room')}</h2>
          <div className="choices">
            {rooms.map((r) => (
              <Choice key={r.id} on={r.id === roomId} onClick={() => pickRoom(r)}>
                {r.name}
                <small>{t('board.capacity', { count: r.capacity })}</small>
              </Choice>
            ))}
          </div>

          {room && (
            <>
              <h2>{t('book.length')}</h2>
              <div className="choices">
                {(['hours', 'package', 'custom'] as const).map((m) => (
                  <Choice
                    key={m}
                    on={mode === m}
                    onClick={() => {
                      setMode(m);
                      setLength(null);
                    }}
                  >
                    {t(
                      m === 'hours'
                        ? 'book.byHour'
                        : m === 'package'
                          ? 'book.package'
                          : 'book.custom',
                    )}
                  </Choice>
                ))}
              </div>

              {mode !== 'package' && (
                <>
                  <h2>{t('book.start')}</h2>
                  {!board.data ? (
                    <Spin />
                  ) : (
                    <div className="choices compact">
                      {starts.map((x, i) => (
                        <Choice key={x} on={x === start} onClick={() => pickStart(x)}>
                          {i === 0 && x <= now() ? t('book.startNow') : clockTime(x, zone)}
                        </Choice>
                      ))}
                    </div>
                  )}
                </>
              )}

              {mode === 'hours' && start !== null && (
                <>
                  <h2>{t('book.hoursHeading')}</h2>
                  <div className="choices compact">
                    {hourChoices.map((m) => (
                      <Choice
                        key={m}
                        on={length?.mode === 'hours' && length.minutes === m}
                        onClick={() => setLength({ mode: 'hours', minutes: m })}
                      >
                        {t('common:hours', { count: m / 60 })}
                      </Choice>
                    ))}
                  </div>
                </>
              )}
              {mode === 'custom' && start !== null && (
                <>
                  <h2>{t('book.endAt')}</h2>
                  <div className="choices compact">
                    {endChoices.map((e) => (
                      <Choice
                        key={e}
                        on={length?.mode === 'custom' && length.end === e}
                        onClick={() => setLength({ mode: 'custom', end: e })}
                      >
                        {clockTime(e, zone)}
                      </Choice>
                    ))}
                  </div>
                </>
              )}
              {mode === 'package' && (
                <>
                  <h2>{t('book.package')}</h2>
                  <div className="choices">
                    {packages.length === 0 && <p className="lead">{t('book.noPackage')}</p>}
                    {packages.map((p) => (
                      <Choice
                        key={p.id}
                        on={length?.mode === 'package' && length.packageId === p.id}
                        onClick={() => setLength({ mode: 'package', packageId: p.id })}
                      >
                        {t('book.packageAt', {
                          name: p.name,
                          start: p.start,
                          hours: Math.round((p.minutes / 60) * 10) / 10,
                        })}
                      </Choice>
                    ))}
                  </div>
                </>
              )}

              <h2>{t('book.party')}</h2>
              <div className="stepper">
                <button
                  type="button"
                  aria-label={t('book.fewer')}
                  onClick={() => setParty((p) => Math.max(1, p - 1))}
                >
                  −
                </button>
                <output data-testid="party">{party}</output>
                <button
                  type="button"
                  aria-label={t('book.more')}
                  onClick={() => setParty((p) => Math.min(room.capacity, p + 1))}
                >
                  +
                </button>
                <span className="lead">{t('book.partyMax', { count: room.capacity })}</span>
              </div>
            </>
          )}
        </div>

        <div>
          {room && (
            <>
              <h2>{t('book.phone')}</h2>
              <p className="notice">{t('book.phoneNotice')}</p>
              <Keypad
                value={phone}
                maxLength={11}
                onChange={setPhone}
                placeholder={t('book.phoneHint')}
                testId="phone-keypad"
              />
            </>
          )}
          {request && (
            <div className="quote" data-testid="quote">
              <h2>{t('book.quote')}</h2>
              {quote.isPending && <Spin />}
              {quote.isError && (
                <Alert type="warning" showIcon title={refusalText(t, quote.error)} />
              )}
              {quote.data && (
                <table>
                  <tbody>
                    {quote.data.lines.map((l, i) => (
                      <tr key={i}>
                        <td>
                          {lineText(t, l, packageName)}
                          <div className="when">
                            {clockTime(l.start, zone)}–{clockTime(l.end, zone)}
                          </div>
                        </td>
                        <td className="amount">¥{yuan(l.amount)}</td>
                      </tr>
                    ))}
                    <tr className="total">
                      <td>{t('book.total')}</td>
                      <td className="amount" data-testid="quote-total">
                        ¥{yuan(quote.data.total)}
                      </td>
                    </tr>
                  </tbody>
                </table>
              )}
            </div>
          )}
          {book.isError && <Alert type="error" showIcon title={refusalText(t, book.error)} />}
          <div className="actions">
            <Button size="large" onClick={() => navigate('/')}>
              {t('common:back')}
            </Button>
            <Button
              type="primary"
              size="large"
              disabled={!ready}
              loading={book.isPending}
              onClick={() => book.mutate()}
            >
              {ready ? t('book.submit') : t('book.pickAll')}
            </Button>
          </div>
        </div>
      </div>
    </section>
  );
}

function Choice(props: { on: boolean; onClick: () => void; children: ReactNode }) {
  return (
    <button
      type="button"
      className={`choice${props.on ? ' on' : ''}`}
      aria-pressed={props.on}
      onClick={props.onClick}
    >
      {props.children}
    </button>
  );
}
