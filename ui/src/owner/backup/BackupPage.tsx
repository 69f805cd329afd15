// Backups (H4): the owner makes a consistent copy of the store's database while the hub runs,
// sees it being written, then where it went, its size, the copy on the other drive and the old
// backups cleared to keep the count. Backups also run on their own each night.
import { useMutation, useQuery } from '@tanstack/react-query';
import { Alert, App, Button, Card, Descriptions, Progress, Result } from 'antd';
import { useTranslation } from 'react-i18next';
import { ownerPages } from '../../api/owner-client';
import { ownerRefusal } from '../refusal-text';

export function BackupPage() {
  const { t } = useTranslation('owner');
  const { message } = App.useApp();
  const store = useQuery({ queryKey: ['owner-store'], queryFn: ownerPages.store });
  const make = useMutation({
    mutationFn: ownerPages.backup,
    onSuccess: () => void message.success(t('backup.done')),
  });
  const b = make.data;
  const settings = store.data?.backups;
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
      <Alert className="gap" type="info" showIcon title={t('backup.restoreHow')} />
    </Card>
  );
}
