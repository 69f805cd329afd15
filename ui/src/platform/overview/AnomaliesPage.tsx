// Anomalies across the stores (P4): each with what happened in one sentence, who raised it (the
// store's own hub or the platform), and marking one handled with what was done. The list is read
// again every ten seconds.
import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Input, Modal, Select, Space, Switch, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { ANOMALY_KINDS, type AnomalyKind, type AnomalyView } from '@roomhub/shared-types';
import { overviewApi } from './overview-client';
import { AnomalyList, explain } from '../../components/anomaly-list';
import { NS } from './words';

export function AnomaliesPage() {
  const { t } = useTranslation(NS);
  const { message } = App.useApp();
  const client = useQueryClient();
  const [kind, setKind] = useState<AnomalyKind | undefined>();
  const [openOnly, setOpenOnly] = useState(true);
  const [handling, setHandling] = useState<AnomalyView | null>(null);
  const [reason, setReason] = useState('');
  const list = useQuery({
    queryKey: ['platform', 'anomalies', kind, openOnly],
    queryFn: () =>
      overviewApi.anomalies({ ...(kind ? { kind } : {}), ...(openOnly ? { open: true } : {}) }),
    refetchInterval: 10_000,
  });
  const handle = useMutation({
    mutationFn: () => overviewApi.handle(handling!.id, reason),
    onSuccess: () => {
      void message.success(t('anomalies.done'));
      setHandling(null);
      setReason('');
      void client.invalidateQueries({ queryKey: ['platform'] });
    },
    onError: (e: Error) => void message.error(e.message),
  });
  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }}>
      <Typography.Title level={3} style={{ margin: 0 }}>
        {t('anomalies.title')}
      </Typography.Title>
      <Space wrap>
        <Select
          style={{ minWidth: 180 }}
          value={kind ?? ''}
          onChange={(v) => setKind((v || undefined) as AnomalyKind | undefined)}
          options={[
            { value: '', label: t('anomalies.allKinds') },
            ...ANOMALY_KINDS.map((k) => ({ value: k, label: t(`kinds.${k}`) })),
          ]}
        />
        <Space>
          <Switch checked={openOnly} onChange={setOpenOnly} />
          {t('anomalies.openOnly')}
        </Space>
      </Space>
      <AnomalyList anomalies={list.data?.anomalies ?? []} onHandle={setHandling} />
      <Modal
        open={handling !== null}
        title={handling ? `${t('anomalies.handle')} · ${t(`kinds.${handling.kind}`)}` : ''}
        onCancel={() => setHandling(null)}
        onOk={() => handle.mutate()}
        okButtonProps={{ disabled: reason.trim().length < 2, loading: handle.isPending }}
      >
        {handling && <p>{explain(handling, t)}</p>}
        <Input.TextArea
          value={reason}
          placeholder={t('anomalies.reasonHint')}
          onChange={(e) => setReason(e.target.value)}
          maxLength={500}
        />
      </Modal>
    </Space>
  );
}
