// Where the store's rooms, deals and products stand with the platform's reviewers (P2), for the
// owner and the manager: waiting, approved, or sent back with the reviewer's notes, and what
// customers see meanwhile. Read through the hub from the cloud; when the cloud cannot be reached,
// the last answer, said to be as of when it was read.
import { useQuery } from '@tanstack/react-query';
import { Alert, Card, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { ItemReviewState, ReviewState } from '@roomhub/shared-types';
import { owner } from '../../api/owner-client';
import { clockTime, localDate } from '../../components/store-time';
import { ownerRefusal } from '../refusal-text';

const STATE_COLOUR: Record<ReviewState, string> = {
  waiting: 'gold',
  approved: 'green',
  sent_back: 'red',
};

export function ReviewsPage() {
  const { t } = useTranslation('owner');
  const store = useQuery({ queryKey: ['store'], queryFn: owner.store });
  const states = useQuery({
    queryKey: ['reviews'],
    queryFn: owner.reviews,
    refetchInterval: 60_000,
  });
  const zone = store.data?.timeZone ?? 'Asia/Shanghai';
  const at = (iso: string) => `${localDate(iso, zone)} ${clockTime(iso, zone)}`;
  const data = states.data;
  return (
    <Card title={t('reviews.title')} loading={states.isPending}>
      <Typography.Paragraph type="secondary">{t('reviews.intro')}</Typography.Paragraph>
      {states.isError && (
        <Alert className="gap" type="error" showIcon message={ownerRefusal(t, states.error)} />
      )}
      {data && !data.gateOn && (
        <Alert className="gap" type="info" showIcon message={t('reviews.gateOff')} />
      )}
      {data && !data.fresh && (
        <Alert
          className="gap"
          type="warning"
          showIcon
          message={t('reviews.stale', { at: at(data.readAt) })}
        />
      )}
      <Table<ItemReviewState>
        data-testid="review-states"
        rowKey={(r) => `${r.kind}:${r.itemId}`}
        size="small"
        pagination={false}
        dataSource={data?.items ?? []}
        locale={{ emptyText: t('reviews.empty') }}
        columns={[
          { key: 'kind', title: t('reviews.kind'), render: (_, r) => t(`reviews.kinds.${r.kind}`) },
          { key: 'name', title: t('reviews.name'), dataIndex: 'name' },
          {
            key: 'state',
            title: t('reviews.state'),
            render: (_, r) => (
              <Tag color={STATE_COLOUR[r.state]}>{t(`reviews.states.${r.state}`)}</Tag>
            ),
          },
          {
            key: 'notes',
            title: t('reviews.notes'),
            render: (_, r) => (
              <>
                {r.notes && <div>{r.notes}</div>}
                {r.earlierNotes && (
                  <Typography.Text type="secondary">
                    {t('reviews.earlier', { notes: r.earlierNotes })}
                  </Typography.Text>
                )}
                {r.decidedAt && (
                  <div>
                    <Typography.Text type="secondary">{at(r.decidedAt)}</Typography.Text>
                  </div>
                )}
              </>
            ),
          },
          {
            key: 'shown',
            title: t('reviews.shown'),
            render: (_, r) => t(`reviews.shownAs.${r.shown}`),
          },
        ]}
      />
    </Card>
  );
}
