// What each cleaner did (O9, for the owner and managers): over a range of store days, each
// person's tasks done, how long they took from taking a task to the room being clean, how long
// rooms waited after their session, photos taken and tasks called off while they held them; and
// the range's tasks by status. It reads the hub's report and changes nothing.
import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Alert, Card, Empty, Input, Space, Table, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import {
  CleaningTaskStatusSchema,
  type CleaningReportRow,
  type StoreView,
} from '@roomhub/shared-types';
import { owner } from '../../api/owner-client';
import { localDate } from '../../components/store-time';
import { ownerRefusal } from '../refusal-text';

const DAY = 86_400_000;

export function CleaningPage() {
  const store = useQuery({ queryKey: ['store'], queryFn: owner.store });
  if (!store.data) return <Card loading />;
  return <Report store={store.data} />;
}

function Report({ store }: { store: StoreView }) {
  const { t } = useTranslation('owner');
  const zone = store.timeZone;
  // The last seven store days, today included, until the owner picks others.
  const [from, setFrom] = useState(() => localDate(Date.now() - 6 * DAY, zone));
  const [to, setTo] = useState(() => localDate(Date.now(), zone));
  const report = useQuery({
    queryKey: ['cleaning-report', from, to],
    queryFn: () => owner.cleaningReport(from, to),
    enabled: from !== '' && to !== '',
    retry: false,
  });
  return (
    <Card title={t('cleaning.title')}>
      <Space wrap className="gap">
        <label>
          {t('cleaning.from')}{' '}
          <Input
            type="date"
            aria-label={t('cleaning.from')}
            value={from}
            onChange={(e) => setFrom(e.target.value)}
            style={{ width: 160 }}
          />
        </label>
        <label>
          {t('cleaning.to')}{' '}
          <Input
            type="date"
            aria-label={t('cleaning.to')}
            value={to}
            onChange={(e) => setTo(e.target.value)}
            style={{ width: 160 }}
          />
        </label>
      </Space>
      {report.isError && (
        <Alert className="gap" type="error" showIcon title={ownerRefusal(t, report.error)} />
      )}
      {report.data && (
        <>
          <Space wrap className="gap" style={{ display: 'flex' }} data-testid="cleaning-tasks">
            {CleaningTaskStatusSchema.options.map((s) => (
              <Tag key={s}>
                {t(`cleaning.status.${s}`)} {report.data.tasks[s]}
              </Tag>
            ))}
          </Space>
          <Table<CleaningReportRow>
            rowKey={(r) => r.staff.id}
            size="small"
            pagination={false}
            dataSource={report.data.cleaners}
            locale={{ emptyText: <Empty description={t('cleaning.none')} /> }}
            columns={[
              {
                key: 'who',
                title: t('cleaning.who'),
                render: (_, r) => `${r.staff.name} · ${t(`roles.${r.staff.role}`)}`,
              },
              { key: 'done', dataIndex: 'done', title: t('cleaning.done') },
              {
                key: 'average',
                title: t('cleaning.average'),
                render: (_, r) => t('cleaning.minutes', { n: r.minutes.average }),
              },
              {
                key: 'longest',
                title: t('cleaning.longest'),
                render: (_, r) => t('cleaning.minutes', { n: r.minutes.longest }),
              },
              {
                key: 'total',
                title: t('cleaning.total'),
                render: (_, r) => t('cleaning.minutes', { n: r.minutes.total }),
              },
              {
                key: 'wait',
                title: t('cleaning.wait'),
                render: (_, r) => t('cleaning.minutes', { n: r.averageWaitMinutes }),
              },
              { key: 'photos', dataIndex: 'withPhoto', title: t('cleaning.photos') },
              { key: 'cancelled', dataIndex: 'cancelled', title: t('cleaning.cancelled') },
            ]}
          />
        </>
      )}
    </Card>
  );
}
