// The overview's and the anomalies' words, zh-CN first, in their own namespace; and the one
// sentence that explains an anomaly from its facts.
import i18next, { type TFunction } from 'i18next';
import type { AnomalyView } from '@roomhub/shared-types';
import zh from '../../locales/zh-CN/platform-overview.json';
import en from '../../locales/en-US/platform-overview.json';

export const NS = 'platform-overview';
i18next.addResourceBundle('zh-CN', NS, zh, true, true);
i18next.addResourceBundle('en-US', NS, en, true, true);

const yuan = (fen: unknown) => (typeof fen === 'number' ? (fen / 100).toFixed(2) : String(fen));
const shortTime = (v: unknown) =>
  typeof v === 'string' && !Number.isNaN(Date.parse(v))
    ? new Date(v).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false })
    : String(v);

/** What happened, in one sentence from the anomaly's facts. */
export function explain(a: AnomalyView, t: TFunction): string {
  const f: Record<string, unknown> = { ...a.facts };
  for (const k of ['amount', 'kept']) if (k in f) f[k] = yuan(f[k]);
  for (const k of ['start', 'end', 'otherStart', 'lastAliveAt', 'backAt', 'firstAt']) {
    if (k in f) f[k] = shortTime(f[k]);
  }
  let key: string = a.kind;
  if (a.kind === 'payment_without_booking') key = `${a.kind}_${String(a.facts.reason)}`;
  if (a.kind === 'store_offline' && a.facts.backAt !== undefined) key = 'store_offline_back';
  return t(`explain.${key}`, { ns: NS, ...f });
}
