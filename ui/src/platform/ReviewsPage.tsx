// Review before showing (P2): rooms, deals and tea and snacks new or changed since approved, what
// customers see now beside what the store published, approve or refuse with notes; the platform
// owner's switch.
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Card, Descriptions, Empty, Space, Switch, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type {
  DealContentView,
  PendingReview,
  ProductContentView,
  RoomContentView,
} from '@roomhub/shared-types';
import { yuan } from '../components/yuan';
import { platform } from './platform-client';
import { ReasonAction } from './ReasonAction';

function Content({
  kind,
  c,
}: {
  kind: PendingReview['kind'];
  c: RoomContentView | DealContentView | ProductContentView;
}) {
  const { t } = useTranslation('platform');
  if (kind === 'product') {
    const p = c as ProductContentView;
    return (
      <Descriptions size="small" column={1}>
        <Descriptions.Item label={t('reviews.name')}>{p.name}</Descriptions.Item>
        <Descriptions.Item label={t('reviews.description')}>
          {p.description || '—'}
        </Descriptions.Item>
        <Descriptions.Item label={t('reviews.photos')}>{p.photos.length}</Descriptions.Item>
      </Descriptions>
    );
  }
  if ('price' in c) {
    return (
      <Descriptions size="small" column={1}>
        <Descriptions.Item label={t('reviews.name')}>{c.title}</Descriptions.Item>
        <Descriptions.Item label={t('reviews.price')}>
          {yuan(c.price)}
          {c.originalPrice !== null && ` / ${yuan(c.originalPrice)}`}
        </Descriptions.Item>
        <Descriptions.Item label={t('reviews.description')}>
          {c.description || '—'}
        </Descriptions.Item>
        <Descriptions.Item label={t('reviews.validDays')}>{c.validDays}</Descriptions.Item>
        <Descriptions.Item label={t('reviews.photos')}>{c.photos.length}</Descriptions.Item>
      </Descriptions>
    );
  }
  const r = c as RoomContentView;
  return (
    <Descriptions size="small" column={1}>
      <Descriptions.Item label={t('reviews.name')}>{r.name}</Descriptions.Item>
      <Descriptions.Item label={t('reviews.style')}>{r.style}</Descriptions.Item>
      <Descriptions.Item label={t('reviews.capacity')}>
        {t('reviews.people', { n: r.capacity })}
      </Descriptions.Item>
      <Descriptions.Item label={t('reviews.area')}>{r.areaSqm} m²</Descriptions.Item>
      <Descriptions.Item label={t('reviews.facilities')}>
        {r.facilities.join('、') || '—'}
      </Descriptions.Item>
      <Descriptions.Item label={t('reviews.photos')}>{r.photos.length}</Descriptions.Item>
      {/* The reviewer watches the very file customers would be shown. */}
      <Descriptions.Item label={t('reviews.video')}>
        {r.video ? (
          <a href={r.video} target="_blank" rel="noreferrer">
            {r.video}
          </a>
        ) : (
          '—'
        )}
      </Descriptions.Item>
      {r.videoPoster && (
        <Descriptions.Item label={t('reviews.videoPoster')}>
          <a href={r.videoPoster} target="_blank" rel="noreferrer">
            {r.videoPoster}
          </a>
        </Descriptions.Item>
      )}
    </Descriptions>
  );
}

export function ReviewsPage() {
  const { t } = useTranslation('platform');
  const client = useQueryClient();
  const q = useQuery({ queryKey: ['platform', 'reviews'], queryFn: platform.reviews });
  const me = useQuery({ queryKey: ['platform', 'me'], queryFn: platform.me });
  const refresh = () => void client.invalidateQueries({ queryKey: ['platform', 'reviews'] });
  const decide = (r: PendingReview, decision: 'approve' | 'refuse') => (notes: string) =>
    platform.decide({
      storeId: r.storeId,
      kind: r.kind,
      itemId: r.itemId,
      hash: r.hash,
      decision,
      notes,
    });
  return (
    <Space direction="vertical" style={{ width: '100%' }} size="large">
      <Typography.Title level={3}>{t('reviews.title')}</Typography.Title>
      {q.data && (
        <Alert
          type={q.data.gateOn ? 'success' : 'warning'}
          showIcon
          data-testid="gate-state"
          message={q.data.gateOn ? t('reviews.gateOn') : t('reviews.gateOff')}
          action={
            me.data?.actions.includes('settings.manage') && (
              <ReasonAction
                label={<Switch checked={q.data.gateOn} size="small" />}
                title={q.data.gateOn ? t('reviews.turnOff') : t('reviews.turnOn')}
                testId="gate-switch"
                act={(reason) => platform.setGate(!q.data.gateOn, reason)}
                done={refresh}
              />
            )
          }
        />
      )}
      {q.data?.pending.length === 0 && <Empty description={t('reviews.none')} />}
      {q.data?.pending.map((r) => (
        <Card
          key={`${r.storeId}/${r.kind}/${r.itemId}`}
          data-testid={`review-${r.itemId}`}
          title={
            <Space>
              <span>{r.storeName}</span>
              <Tag>{r.storeId}</Tag>
              <span>
                {'title' in r.current
                  ? t('reviews.deal', { name: r.current.title })
                  : t(r.kind === 'product' ? 'reviews.product' : 'reviews.room', {
                      name: r.current.name,
                    })}
              </span>
              {r.approved ? (
                <Tag color="orange">{t('reviews.changed')}</Tag>
              ) : (
                <Tag color="blue">{t('reviews.new')}</Tag>
              )}
            </Space>
          }
          extra={
            <Space>
              <ReasonAction
                type="primary"
                label={t('reviews.approve')}
                title={t('reviews.approveTitle')}
                testId={`approve-${r.itemId}`}
                act={decide(r, 'approve')}
                done={refresh}
              />
              <ReasonAction
                danger
                label={t('reviews.refuse')}
                title={t('reviews.refuseTitle')}
                testId={`refuse-${r.itemId}`}
                act={decide(r, 'refuse')}
                done={refresh}
              />
            </Space>
          }
        >
          {r.refusedNotes && (
            <Alert
              type="error"
              style={{ marginBottom: 12 }}
              message={t('reviews.refusedBefore', { notes: r.refusedNotes })}
            />
          )}
          <Space align="start" size={48} wrap>
            <div>
              <Typography.Text strong>{t('reviews.published')}</Typography.Text>
              <Content kind={r.kind} c={r.current} />
            </div>
            <div>
              <Typography.Text strong>{t('reviews.customersSee')}</Typography.Text>
              {r.kind !== 'deal' && r.approved ? (
                <Content kind={r.kind} c={r.approved} />
              ) : (
                <Typography.Paragraph type="secondary">
                  {t(`reviews.${r.kind === 'room' ? 'hidden' : `${r.kind}Hidden`}`)}
                </Typography.Paragraph>
              )}
            </div>
          </Space>
        </Card>
      ))}
    </Space>
  );
}
