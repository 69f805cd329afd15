// One store's audit log seen from afar, a day at a time (today unless the owner picks another):
// who did what at the store, to what, and whether the hub let them, newest first. What an action
// changed is read on the store's own 操作记录 page.
import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Card, DatePicker, Space, Table, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { OwnerAudit } from '@roomhub/shared-types';
import { remoteOwner } from '../../api/owner-remote-client';
import { actionWords, actorWords } from '../audit/action-words';
import { ownerRefusal } from '../refusal-text';
import { stamp } from './when';

type Entry = OwnerAudit['entries'][number];

export function RemoteAudit({ storeId, storeName }: { storeId: string; storeName: string }) {
  const { t, i18n } = useTranslation('owner');
  // Undefined: today in the store's time, as the cloud reckons it.
  const [date, setDate] = useState<string | undefined>();
  const read = useQuery({
    queryKey: ['remote', storeId, 'audit', date ?? 'today'],
    queryFn: () => remoteOwner.audit(storeId, date),
    refetchInterval: 60_000,
  });
  const actor = (e: Entry) => {
    const who = actorWords(t, e.actor, e.actor.name ?? undefined);
    return e.actor.role
      ? `${who} · ${t(`roles.${e.actor.role}`, { defaultValue: e.actor.role })}`
      : who;
  };
  return (
    <Card
      title={t('remote.audit.title', { store: storeName })}
      className="gap"
      data-testid={`audit-${storeId}`}
      extra={
        <Space>
          <span className="muted" data-testid="audit-day">
            {read.data?.date}
          </span>
          <DatePicker
            aria-label={t('remote.audit.pickDay')}
            placeholder={t('remote.audit.today')}
            onChange={(_, day) => setDate(typeof day === 'string' && day ? day : undefined)}
          />
        </Space>
      }
    >
      {read.isError && <p>{ownerRefusal(t, read.error)}</p>}
      <Table<Entry>
        rowKey="id"
        size="small"
        pagination={{ pageSize: 50, hideOnSinglePage: true }}
        loading={read.isPending}
        dataSource={read.data?.entries ?? []}
        locale={{ emptyText: t('remote.audit.none') }}
        onRow={(e) => ({ 'data-action': e.action }) as object}
        columns={[
          { title: t('audit.at'), render: (_, e) => stamp(e.at) },
          { title: t('audit.actor'), render: (_, e) => actor(e) },
          {
            title: t('audit.action'),
            render: (_, e) => <span title={e.action}>{actionWords(e.action, i18n.language)}</span>,
          },
          { title: t('audit.target'), render: (_, e) => e.target ?? '' },
          {
            title: t('audit.outcome'),
            render: (_, e) => (
              <Tag color={e.outcome === 'refused' ? 'red' : 'green'}>
                {t(`audit.outcomes.${e.outcome}`)}
              </Tag>
            ),
          },
        ]}
      />
      {read.data && read.data.more > 0 && (
        <p className="muted" data-testid="audit-more">
          {t('remote.audit.more', { n: read.data.more })}
        </p>
      )}
      <p className="muted">
        {read.data?.updatedAt
          ? t('remote.audit.published', { at: stamp(read.data.updatedAt) })
          : null}{' '}
        {t('remote.audit.atStore')}
      </p>
    </Card>
  );
}
