// The list of anomalies with what happened in one sentence from each one's facts, shared by the
// platform console (every store's) and the owner's dashboard at the store (its own, B8). Its words
// are the console's `platform-overview` namespace, added the first time a list draws (never when
// the module loads: a page's words are set up once its own screen has started).
import i18next, { type TFunction } from 'i18next';
import { Button, Space, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { AnomalyKind, AnomalyView } from '@roomhub/shared-types';
import zh from '../locales/zh-CN/platform-overview.json';
import en from '../locales/en-US/platform-overview.json';

const NS = 'platform-overview';

function useAnomalyWords(): void {
  if (i18next.hasResourceBundle('zh-CN', NS)) return;
  i18next.addResourceBundle('zh-CN', NS, zh, true, true);
  i18next.addResourceBundle('en-US', NS, en, true, true);
}

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

const when = (at: string) =>
  new Date(at).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false });

export function AnomalyList({
  anomalies,
  compact = false,
  showStore = true,
  onHandle,
}: {
  anomalies: readonly AnomalyView[];
  compact?: boolean;
  /** Off on one store's own page (its owner's dashboard), where every row is that store's. */
  showStore?: boolean;
  onHandle?: (a: AnomalyView) => void;
}) {
  useAnomalyWords();
  const { t } = useTranslation(NS);
  return (
    <Table<AnomalyView>
      size="small"
      rowKey="id"
      data-testid="anomaly-list"
      pagination={compact ? false : { pageSize: 20 }}
      locale={{ emptyText: t('anomalies.empty') }}
      dataSource={[...anomalies]}
      columns={[
        {
          title: t('anomalies.kind'),
          dataIndex: 'kind',
          width: 130,
          render: (k: AnomalyKind, a) => (
            <Tag color={a.handled ? 'default' : a.raisedBy === 'store' ? 'orange' : 'red'}>
              {t(`kinds.${k}`)}
            </Tag>
          ),
        },
        ...(showStore
          ? [
              {
                title: t('anomalies.store'),
                render: (_: unknown, a: AnomalyView) => a.storeName ?? a.storeId ?? '—',
                width: 90,
              },
            ]
          : []),
        { title: t('anomalies.at'), dataIndex: 'at', render: when, width: 150 },
        {
          title: t('anomalies.explain'),
          render: (_, a) => (
            <Space direction="vertical" size={0}>
              <span>{explain(a, t)}</span>
              {a.handled && (
                <Typography.Text type="secondary">
                  {t('anomalies.handledBy', { by: a.handled.by, reason: a.handled.reason })}
                </Typography.Text>
              )}
            </Space>
          ),
        },
        ...(compact
          ? []
          : [
              {
                title: t('anomalies.raisedBy'),
                width: 90,
                render: (_: unknown, a: AnomalyView) => t(`anomalies.by.${a.raisedBy}`),
              },
              {
                title: '',
                width: 120,
                render: (_: unknown, a: AnomalyView) =>
                  a.handled ? (
                    <Tag>{t('anomalies.handled')}</Tag>
                  ) : (
                    onHandle && (
                      <Button size="small" onClick={() => onHandle(a)}>
                        {t('anomalies.handle')}
                      </Button>
                    )
                  ),
              },
            ]),
      ]}
    />
  );
}
