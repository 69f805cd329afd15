// The audit log (O9, the owner's alone): every staff action, newest first, fifty at a time, in the
// store's time, so the owner can see who did what and whether the hub let them.
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { Button, Card, Table, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { owner, type AuditEntryView } from '../../api/owner-client';
import { clockTime, localDate } from '../../components/store-time';
import { actionWords, actorWords } from './action-words';

export function AuditPage() {
  const { t, i18n } = useTranslation('owner');
  const store = useQuery({ queryKey: ['store'], queryFn: owner.store });
  const staff = useQuery({ queryKey: ['staff'], queryFn: owner.staff });
  const zone = store.data?.timeZone ?? 'Asia/Shanghai';
  const log = useInfiniteQuery({
    queryKey: ['audit'],
    queryFn: ({ pageParam }) => owner.audit(pageParam),
    initialPageParam: undefined as number | undefined,
    getNextPageParam: (last) => (last.length === 50 ? last[last.length - 1]!.id : undefined),
  });
  const names = new Map((staff.data ?? []).map((s) => [s.id, s.name]));
  const rows = log.data?.pages.flat() ?? [];
  return (
    <Card title={t('audit.title')}>
      <Table<AuditEntryView>
        rowKey="id"
        size="small"
        loading={log.isFetching}
        dataSource={rows}
        pagination={false}
        columns={[
          {
            key: 'at',
            title: t('audit.at'),
            render: (_, e) => `${localDate(e.at, zone)} ${clockTime(e.at, zone)}`,
          },
          {
            key: 'actor',
            title: t('audit.actor'),
            render: (_, e) =>
              `${actorWords(t, e.actor, names.get(e.actor.id))}${e.actor.role ? ` · ${t(`roles.${e.actor.role}`, { defaultValue: e.actor.role })}` : ''}`,
          },
          {
            key: 'action',
            title: t('audit.action'),
            render: (_, e) => <span title={e.action}>{actionWords(e.action, i18n.language)}</span>,
          },
          {
            key: 'target',
            title: t('audit.target'),
            // A staff member is named; other targets (a booking, a screen) keep the hub's id.
            render: (_, e) => (e.target ? (names.get(e.target) ?? e.target) : ''),
          },
          {
            key: 'outcome',
            title: t('audit.outcome'),
            render: (_, e) => (
              <Tag color={e.outcome === 'refused' ? 'red' : 'green'}>
                {t(`audit.outcomes.${e.outcome}`, { defaultValue: e.outcome })}
              </Tag>
            ),
          },
        ]}
      />
      {log.hasNextPage && (
        <Button className="gap" onClick={() => void log.fetchNextPage()}>
          {t('audit.more')}
        </Button>
      )}
    </Card>
  );
}
