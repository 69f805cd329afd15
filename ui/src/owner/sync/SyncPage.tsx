// The link to the cloud (H2): online or not, when the store was last in step, what waits to go
// up (bookings, orders, answers) and what customers asked that the store has yet to answer.
// The store runs the same either way; this page says how far behind the cloud's copy is.
import { useQuery } from '@tanstack/react-query';
import { Alert, Card, Descriptions, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { SyncStatus } from '@roomhub/shared-types';
import { ownerPages } from '../../api/owner-client';
import { clockTime, localDate } from '../../components/store-time';
import { ownerRefusal } from '../refusal-text';
import { useLive } from '../devices/use-live';

const COLOUR = {
  online: 'green',
  offline: 'red',
  stalled: 'orange',
  refused: 'red',
  off: 'default',
};

export function SyncPage() {
  const { t } = useTranslation('owner');
  const store = useQuery({ queryKey: ['owner-store'], queryFn: ownerPages.store });
  const sync = useQuery({
    queryKey: ['owner-sync'],
    queryFn: ownerPages.sync,
    // Linked to the cloud, the hub says when the line changes; unlinked, nothing is said, and the
    // count of what waits is read again now and then.
    refetchInterval: (q) => (q.state.data?.state === 'off' ? 15_000 : false),
  });
  useLive((e) => (e.type === 'sync.status' ? [['owner-sync']] : []));
  const zone = store.data?.timeZone ?? 'Asia/Shanghai';
  const s = sync.data;
  const when = (ms: number) => `${localDate(ms, zone)} ${clockTime(ms, zone)}`;
  return (
    <Card title={t('sync.title')}>
      {sync.isError && <Alert type="error" showIcon title={ownerRefusal(t, sync.error)} />}
      {s && s.state === 'off' && 'outbox' in s && (
        <Alert type="info" showIcon title={t('sync.off', { n: s.outbox })} />
      )}
      {s && s.state !== 'off' && 'pendingOut' in s && <Status s={s} when={when} />}
      {s && (
        <p className="gap">
          <Tag color={COLOUR[s.state]} data-testid="sync-state">
            {t(`sync.states.${s.state}`)}
          </Tag>
        </p>
      )}
    </Card>
  );
}

function Status({ s, when }: { s: SyncStatus; when: (ms: number) => string }) {
  const { t } = useTranslation('owner');
  return (
    <>
      {s.refusal && (
        <Alert
          type="error"
          showIcon
          title={t('sync.refused', { status: s.refusal.status, reason: s.refusal.reason })}
        />
      )}
      <Descriptions column={1} className="gap" bordered size="small">
        <Descriptions.Item label={t('sync.lastSync')}>
          {s.lastSyncAt ? when(s.lastSyncAt) : t('sync.never')}
        </Descriptions.Item>
        <Descriptions.Item label={t('sync.pendingOut')}>
          <span data-testid="sync-pending-out">{s.pendingOut}</span>
          {s.lagMs > 0 && (
            <span className="muted"> · {t('sync.lag', { min: Math.ceil(s.lagMs / 60_000) })}</span>
          )}
        </Descriptions.Item>
        <Descriptions.Item label={t('sync.pendingIn')}>{s.pendingIn}</Descriptions.Item>
        <Descriptions.Item label={t('sync.restarts')}>{s.restarts}</Descriptions.Item>
        <Descriptions.Item label={t('sync.invalid')}>{s.invalidIntents}</Descriptions.Item>
      </Descriptions>
    </>
  );
}
