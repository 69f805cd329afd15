// The platform's campaigns and banners on the customer's stores page (P2): what runs when, placing
// or changing one, taking one down; each with its reason.
import { useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Card, DatePicker, Form, Input, Space, Table, Tag, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import type { PlatformCampaignView } from '@roomhub/shared-types';
import { platform } from './platform-client';
import { ReasonAction } from './ReasonAction';

export function CampaignsPage() {
  const { t } = useTranslation('platform');
  const client = useQueryClient();
  const q = useQuery({ queryKey: ['platform', 'campaigns'], queryFn: platform.campaigns });
  const [id, setId] = useState('');
  const [title, setTitle] = useState('');
  const [text, setText] = useState('');
  const [link, setLink] = useState('');
  const [span, setSpan] = useState<[Dayjs, Dayjs] | null>(null);
  const refresh = () => void client.invalidateQueries({ queryKey: ['platform', 'campaigns'] });
  return (
    <Space direction="vertical" style={{ width: '100%' }} size="large">
      <Typography.Title level={3}>{t('campaigns.title')}</Typography.Title>
      <Table
        rowKey="campaignId"
        pagination={false}
        dataSource={q.data ?? []}
        columns={[
          { title: t('campaigns.name'), dataIndex: 'title' },
          { title: t('campaigns.text'), dataIndex: 'text' },
          {
            title: t('campaigns.when'),
            render: (_: unknown, c: PlatformCampaignView) =>
              `${new Date(c.startsAt).toLocaleString()} – ${new Date(c.endsAt).toLocaleString()}`,
          },
          {
            title: '',
            render: (_: unknown, c: PlatformCampaignView) => (
              <Space>
                {c.running ? (
                  <Tag color="green">{t('campaigns.running')}</Tag>
                ) : (
                  <Tag>{t('campaigns.notRunning')}</Tag>
                )}
                <ReasonAction
                  danger
                  label={t('campaigns.remove')}
                  title={t('campaigns.removeTitle')}
                  act={(r) => platform.removeCampaign(c.campaignId, r)}
                  done={refresh}
                />
              </Space>
            ),
          },
        ]}
      />
      <Card title={t('campaigns.add')} style={{ maxWidth: 640 }}>
        <Form layout="vertical">
          <Form.Item label={t('campaigns.id')}>
            <Input value={id} onChange={(e) => setId(e.target.value.trim())} placeholder="dec-12" />
          </Form.Item>
          <Form.Item label={t('campaigns.name')}>
            <Input value={title} onChange={(e) => setTitle(e.target.value)} maxLength={30} />
          </Form.Item>
          <Form.Item label={t('campaigns.text')}>
            <Input value={text} onChange={(e) => setText(e.target.value)} maxLength={120} />
          </Form.Item>
          <Form.Item label={t('campaigns.link')}>
            <Input
              value={link}
              onChange={(e) => setLink(e.target.value.trim())}
              placeholder="/h5/"
            />
          </Form.Item>
          <Form.Item label={t('campaigns.when')}>
            <DatePicker.RangePicker
              showTime
              value={span}
              onChange={(v) => setSpan(v && v[0] && v[1] ? [v[0], v[1]] : null)}
            />
          </Form.Item>
          <ReasonAction
            type="primary"
            label={t('campaigns.save')}
            title={t('campaigns.saveTitle')}
            act={(reason) =>
              platform.putCampaign(id, {
                title,
                text,
                ...(link ? { link } : {}),
                startsAt: span?.[0].format() ?? '',
                endsAt: span?.[1].format() ?? '',
                reason,
              })
            }
            done={refresh}
          />
        </Form>
      </Card>
    </Space>
  );
}
