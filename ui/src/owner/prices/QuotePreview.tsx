// The quote preview: the owner picks a room, a day, a start and a length, and reads the price the
// hub would ask, line by line in the kiosk's words. Asked again whenever the plan, a promotion or
// the choice changes, so a saved price shows here at once.
import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Alert, Card, Input, InputNumber, Select, Space, Spin } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Room } from '@roomhub/shared-types';
import { counter } from '../../api/counter-client';
import { ownerPages } from '../../api/owner-client';
import { clockTime, isoInStore, localDate, offsetOf } from '../../components/store-time';
import { yuan } from '../../components/yuan';
import { lineText } from '../../kiosk/booking/quote-lines';
import { ownerRefusal } from '../refusal-text';
import './prices.css';

const HOUR = 3_600_000;
/** A discount reads -¥9.00, as on a receipt. */
const money = (fen: number) => (fen < 0 ? `-¥${yuan(-fen)}` : `¥${yuan(fen)}`);
const STARTS = Array.from({ length: 48 }, (_, i) => {
  const h = String(Math.floor(i / 2)).padStart(2, '0');
  return `${h}:${i % 2 ? '30' : '00'}`;
});

export function QuotePreview({ rooms, roomId }: { rooms: Room[]; roomId: string }) {
  const { t } = useTranslation('owner');
  const store = useQuery({ queryKey: ['owner-store'], queryFn: ownerPages.store });
  const hubNow = useQuery({ queryKey: ['hub-time'], queryFn: counter.health, staleTime: 600_000 });
  const zone = store.data?.timeZone ?? 'Asia/Shanghai';
  // Tomorrow in the store by the hub's clock: a start the rules allow whatever the hour now.
  const tomorrow = hubNow.data
    ? localDate(Date.parse(hubNow.data.time) + 24 * HOUR, zone)
    : undefined;
  const [pickedRoom, setRoom] = useState<string | null>(null);
  const [date, setDate] = useState<string | null>(null);
  const [start, setStart] = useState('14:00');
  const [hours, setHours] = useState(2);
  const [packageId, setPackage] = useState<string | null>(null);
  const room = rooms.find((r) => r.id === (pickedRoom ?? roomId)) ?? rooms[0]!;
  const day = date ?? tomorrow;
  const pkg = room.pricePlan.packages.find((p) => p.id === packageId) ?? null;
  const request = day
    ? (() => {
        const startIso = `${day}T${pkg ? pkg.start : start}:00${offsetOf(Date.parse(`${day}T12:00:00Z`), zone)}`;
        return pkg
          ? { roomId: room.id, start: startIso, packageId: pkg.id }
          : {
              roomId: room.id,
              start: startIso,
              end: isoInStore(Date.parse(startIso) + hours * HOUR, zone),
            };
      })()
    : null;
  const quote = useQuery({
    queryKey: ['owner-quote', request],
    queryFn: () => ownerPages.quote(request!),
    enabled: request !== null,
    staleTime: 0,
  });
  return (
    <Card title={t('prices.preview')} data-testid="quote-preview">
      <Space wrap className="owner-toolbar">
        <Select
          aria-label={t('prices.previewRoom')}
          style={{ width: 180 }}
          value={room.id}
          options={rooms.map((r) => ({ value: r.id, label: `${r.number} ${r.name}` }))}
          onChange={(v) => {
            setRoom(v);
            setPackage(null);
          }}
        />
        <Input
          type="date"
          aria-label={t('prices.previewDay')}
          style={{ width: 160 }}
          value={day ?? ''}
          onChange={(e) => setDate(e.target.value || null)}
        />
        <Select
          aria-label={t('prices.previewKind')}
          style={{ width: 160 }}
          value={packageId ?? ''}
          options={[
            { value: '', label: t('prices.byTheHour') },
            ...room.pricePlan.packages.map((p) => ({ value: p.id, label: p.name })),
          ]}
          onChange={(v) => setPackage(v || null)}
        />
        {!pkg && (
          <>
            <Select
              aria-label={t('prices.start')}
              style={{ width: 100 }}
              value={start}
              options={STARTS.map((s) => ({ value: s, label: s }))}
              onChange={setStart}
            />
            <InputNumber
              aria-label={t('prices.hours')}
              min={0.5}
              max={24}
              step={0.5}
              value={hours}
              suffix={t('prices.hoursUnit')}
              onChange={(v) => v && setHours(v)}
            />
          </>
        )}
      </Space>
      {quote.isFetching && !quote.data && <Spin />}
      {quote.isError && <Alert type="warning" showIcon title={ownerRefusal(t, quote.error)} />}
      {quote.data && (
        <table className="owner-quote">
          <tbody>
            {quote.data.lines.map((l, i) => (
              <tr key={i}>
                <td>
                  {lineText(t, l, pkg?.name ?? null)}
                  <div className="muted">
                    {l.date} · {clockTime(l.start, zone)}–{clockTime(l.end, zone)}
                    {l.kind === 'time' && ` · ¥${yuan(l.rate)}/${t('prices.hourUnit')}`}
                  </div>
                </td>
                <td className="amount">{money(l.amount)}</td>
              </tr>
            ))}
            <tr className="total">
              <td>{t('prices.total')}</td>
              <td className="amount" data-testid="preview-total">
                ¥{yuan(quote.data.total)}
              </td>
            </tr>
          </tbody>
        </table>
      )}
    </Card>
  );
}
