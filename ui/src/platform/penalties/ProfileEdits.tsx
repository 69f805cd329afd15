// A customer's profile edits on the users page (P3): when, and each field changed, before and
// after (a phone in them comes masked from the cloud).
import { List, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { PlatformProfileEdit } from '@roomhub/shared-types';
import { NS } from './words';

export function ProfileEdits({ edits }: { edits: PlatformProfileEdit[] }) {
  const { t } = useTranslation(NS);
  if (edits.length === 0) return <>{t('edits.none')}</>;
  return (
    <List
      size="small"
      data-testid="profile-edits"
      dataSource={edits.slice(0, 20)}
      renderItem={(e) => (
        <List.Item>
          <Space size="middle" wrap>
            <Typography.Text type="secondary">{new Date(e.at).toLocaleString()}</Typography.Text>
            <span>
              {e.changes
                .map((c) =>
                  t('edits.changed', {
                    field: t(`edits.field.${c.field}`, { defaultValue: c.field }),
                    before: c.before ?? t('edits.empty'),
                    after: c.after ?? t('edits.empty'),
                  }),
                )
                .join('；')}
            </span>
          </Space>
        </List.Item>
      )}
    />
  );
}
