// How fresh one store's figures on the cloud are: when its hub last wrote, what of each kind came
// last, and the customers' and owner's requests still waiting for the store to answer.
import { useQuery } from '@tanstack/react-query';
import { Card, Descriptions, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { remoteOwner } from '../../api/owner-remote-client';
import { ownerRefusal } from '../refusal-text';
import { stamp as at } from './when';

export function RemoteSync({ storeId, storeName }: { storeId: string; storeName: string }) {
  const { t } = useTranslation('owner');
  const sync = useQuery({
    queryKey: ['remote', storeId, 'sync'],
    queryFn: () => remoteOwner.sync(storeId),
    refetchInterval: 10_000,
  });
  const s = sync.data;
  const late = s?.lagMs === null || (s?.lagMs ?? 0) > 5 * 60_000;
  return (
    <Card title={storeName} className="gap" data-testid={`sync-${storeId}`}>
      {sync.isError && <p>{ownerRefusal(t, sync.error)}</p>}
      {s && (
        <Descriptions column={1} size="small" bordered>
          <Descriptions.Item label={t('remote.sync.lastWrite')}>
            {at(s.lastHubWriteAt)}{' '}
            <Tag color={late ? 'orange' : 'green'}>
              {late ? t('remote.sync.late') : t('remote.sync.fresh')}
            </Tag>
          </Descriptions.Item>
          <Descriptions.Item label={t('remote.sync.waiting')}>
            <span data-testid="waiting">
              {t('remote.sync.waitingCount', { n: s.unansweredIntents })}
            </span>
            {s.oldestUnansweredAt &&
              ` · ${t('remote.sync.oldest', { at: at(s.oldestUnansweredAt) })}`}
          </Descriptions.Item>
          {Object.entries(s.latest).map(([kind, when]) => (
            <Descriptions.Item
              key={kind}
              label={t(`remote.sync.kinds.${kind}`, { defaultValue: kind })}
            >
              {at(when)}
            </Descriptions.Item>
          ))}
        </Descriptions>
      )}
    </Card>
  );
}
