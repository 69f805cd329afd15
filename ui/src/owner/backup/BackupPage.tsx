// Backups (H4): the owner makes a consistent copy of the store's database while the hub runs,
// sees it being written, then where it went, its size, the copy on the other drive and the old
// backups cleared to keep the count. Backups also run on their own each night. The backups kept
// on this machine are listed; the owner (only) picks one to restore: the hub checks it at once
// and puts it in place when it next starts, so the page says what is waiting for that restart
// (and takes it back), and after it how the restore went.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Descriptions,
  Popconfirm,
  Progress,
  Result,
  Table,
  Typography,
} from 'antd';
import { useTranslation } from 'react-i18next';
import type { BackupFileView, StaffRole } from '@roomhub/shared-types';
import { ownerPages } from '../../api/owner-client';
import { clockTime, localDate } from '../../components/store-time';
import { ownerRefusal } from '../refusal-text';
import { ownerMay } from '../role-access';

export function BackupPage({ role }: { role: StaffRole }) {
  const { t } = useTranslation('owner');
  const { message } = App.useApp();
  const client = useQueryClient();
  const store = useQuery({ queryKey: ['owner-store'], queryFn: ownerPages.store });
  const list = useQuery({ queryKey: ['owner-backups'], queryFn: ownerPages.backups });
  const listed = () => void client.invalidateQueries({ queryKey: ['owner-backups'] });
  const make = useMutation({
    mutationFn: ownerPages.backup,
    onSuccess: () => {
      void message.success(t('backup.done'));
      listed();
    },
  });
  const ask = useMutation({
    mutationFn: ownerPages.askRestore,
    onSuccess: () => {
      void message.success(t('backup.restore.asked'));
      listed();
    },
    onError: (e) => void message.error(ownerRefusal(t, e)),
  });
  const cancel = useMutation({
    mutationFn: ownerPages.cancelRestore,
    onSuccess: () => {
      void message.success(t('backup.restore.cancelled'));
      listed();
    },
    onError: (e) => void message.error(ownerRefusal(t, e)),
  });
  const mayRestore = ownerMay(role, 'restore');
  const tz = store.data?.timeZone ?? 'Asia/Shanghai';
  const when = (iso: string) => `${localDate(iso, tz)} ${clockTime(iso, tz)}`;
  const b = make.data;
  const settings = store.data?.backups;
  const pending = list.data?.pending;
  const last = list.data?.last;
  return (
    <Card title={t('backup.title')}>
      <p className="muted">{t('backup.lead')}</p>
      {settings && (
        <Descriptions size="small" column={1} className="gap">
          <Descriptions.Item label={t('backup.keep')}>
            {t('backup.keepN', { n: settings.keep })}
          </Descriptions.Item>
          <Descriptions.Item label={t('backup.copyTo')}>
            {settings.copyTo ?? t('backup.noCopy')}
          </Descriptions.Item>
        </Descriptions>
      )}
      {last && (
        <Alert
          className="gap"
          showIcon
          type={last.ok ? 'success' : 'error'}
          data-testid="restore-last"
          title={
            last.ok
              ? t('backup.restore.done', { when: when(last.restoredAt), made: when(madeAt(last)) })
              : t('backup.restore.failed', {
                  when: when(last.restoredAt),
                  made: when(madeAt(last)),
                })
          }
          description={
            last.ok
              ? last.keptAs && t('backup.restore.keptAs', { file: last.keptAs })
              : t('backup.restore.why', { error: last.error })
          }
        />
      )}
      {pending && (
        <Alert
          className="gap"
          showIcon
          type="warning"
          data-testid="restore-pending"
          title={t('backup.restore.pending', { made: when(madeAt(pending)) })}
          description={t('backup.restore.pendingHow', { asked: when(pending.requestedAt) })}
          action={
            mayRestore && (
              <Button size="small" loading={cancel.isPending} onClick={() => cancel.mutate()}>
                {t('backup.restore.cancel')}
              </Button>
            )
          }
        />
      )}
      <Button type="primary" className="gap" loading={make.isPending} onClick={() => make.mutate()}>
        {t('backup.make')}
      </Button>
      {make.isPending && (
        <div className="gap" data-testid="backup-progress">
          <Progress percent={60} status="active" showInfo={false} />
          <span className="muted">{t('backup.writing')}</span>
        </div>
      )}
      {make.isError && (
        <Alert className="gap" type="error" showIcon title={ownerRefusal(t, make.error)} />
      )}
      {b && (
        <Result
          status="success"
          title={t('backup.done')}
          subTitle={
            <span data-testid="backup-file">
              {t('backup.file', { file: b.file, size: (b.bytes / 1024).toFixed(0) })}
            </span>
          }
          extra={
            <>
              {b.copy && 'error' in b.copy && (
                <Alert type="warning" showIcon title={t('backup.copyFailed', b.copy)} />
              )}
              {b.copy && 'file' in b.copy && <p>{t('backup.copied', { file: b.copy.file })}</p>}
              {b.removed.length > 0 && (
                <p className="muted">{t('backup.removed', { n: b.removed.length })}</p>
              )}
            </>
          }
        />
      )}
      <Typography.Title level={5} className="gap">
        {t('backup.list')}
      </Typography.Title>
      {list.isError && <Alert type="error" showIcon title={ownerRefusal(t, list.error)} />}
      <Table<BackupFileView>
        size="small"
        rowKey="name"
        pagination={false}
        loading={list.isLoading}
        data-testid="backup-list"
        locale={{ emptyText: t('backup.none') }}
        dataSource={list.data?.backups ?? []}
        columns={[
          { key: 'at', title: t('backup.columns.at'), render: (_, f) => when(f.createdAt) },
          {
            key: 'size',
            title: t('backup.columns.size'),
            render: (_, f) => t('backup.kb', { size: (f.bytes / 1024).toFixed(0) }),
          },
          { key: 'name', title: t('backup.columns.name'), dataIndex: 'name' },
          ...(mayRestore
            ? [
                {
                  key: 'restore',
                  title: '',
                  render: (_: unknown, f: BackupFileView) =>
                    pending?.name === f.name ? (
                      <Typography.Text type="warning">
                        {t('backup.restore.waiting')}
                      </Typography.Text>
                    ) : (
                      <Popconfirm
                        title={t('backup.restore.confirm', { made: when(f.createdAt) })}
                        description={t('backup.restore.warning')}
                        okText={t('backup.restore.ok')}
                        cancelText={t('backup.restore.no')}
                        okButtonProps={{ danger: true }}
                        onConfirm={() => ask.mutateAsync(f.name).catch(() => undefined)}
                      >
                        <Button size="small" danger data-testid={`restore-${f.name}`}>
                          {t('backup.restore.pick')}
                        </Button>
                      </Popconfirm>
                    ),
                },
              ]
            : []),
        ]}
      />
      <Alert className="gap" type="info" showIcon title={t('backup.restoreHow')} />
    </Card>
  );
}

/** When the backup was made, from its name (hub-20261123T020000Z.db). */
function madeAt(r: { name: string }): string {
  const s = /^hub-(\d{8}T\d{6}Z)/.exec(r.name)?.[1] ?? '';
  return `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)}T${s.slice(9, 11)}:${s.slice(11, 13)}:${s.slice(13, 15)}Z`;
}
