// The audit trail: every platform action, who took it, on what, and why; newest first.
import { useQuery } from '@tanstack/react-query';
import { Table, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { PlatformAuditEntry } from '@roomhub/shared-types';
import { platform } from './platform-client';

export function AuditPage() {
  const { t } = useTranslation('platform');
  const q = useQuery({ queryKey: ['platform', 'audit'], queryFn: platform.audit });
  return (
    <>
      <Typography.Title level={3}>{t('audit.title')}</Typography.Title>
      <Table
        rowKey="id"
        size="small"
        loading={q.isLoading}
        dataSource={q.data ?? []}
        columns={[
          {
            title: t('audit.at'),
            render: (_: unknown, e: PlatformAuditEntry) => new Date(e.at).toLocaleString(),
          },
          { title: t('audit.actor'), dataIndex: 'actor' },
          {
            title: t('audit.action'),
            render: (_: unknown, e: PlatformAuditEntry) =>
              t(`audit.actions.${e.action}`, { defaultValue: e.action }),
          },
          { title: t('audit.target'), dataIndex: 'target' },
          { title: t('audit.reason'), dataIndex: 'reason' },
        ]}
      />
    </>
  );
}
