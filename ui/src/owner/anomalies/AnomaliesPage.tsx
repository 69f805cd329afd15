// What the store flagged by itself (B8), for the owner and the manager: a door opened with no
// session, power drawn in an empty room, a room held for a paid booking nobody came to; each in one
// sentence from its facts, newest first over the last 30 days, read again every half minute. The
// platform sees the same anomalies in its console; the list and its sentences are the console's.
import { useQuery } from '@tanstack/react-query';
import { Card, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { owner } from '../../api/owner-client';
import { AnomalyList } from '../../components/anomaly-list';

export function AnomaliesPage() {
  const { t } = useTranslation('owner');
  const list = useQuery({
    queryKey: ['anomalies'],
    queryFn: owner.anomalies,
    refetchInterval: 30_000,
  });
  return (
    <Card title={t('anomalies.title')} loading={list.isPending}>
      <Typography.Paragraph type="secondary">{t('anomalies.intro')}</Typography.Paragraph>
      <AnomalyList anomalies={list.data?.anomalies ?? []} showStore={false} />
    </Card>
  );
}
