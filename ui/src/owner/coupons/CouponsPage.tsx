// Coupons and campaigns (O7): every campaign with its coupon, when it may be claimed, and what it
// brought: coupons issued, claimed, used, the bookings they paid for, new members, the discount
// given. The owner pauses, resumes or ends one, changes its claim end, total or name, or gives its
// coupon by hand to the phones typed; a campaign ended stays for its figures.
import { useState } from 'react';
import { useMutation, useQueries, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Empty, Popconfirm, Space, Table, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { CampaignResults, CampaignView } from '@roomhub/shared-types';
import { ownerPages } from '../../api/owner-client';
import { yuan } from '../../components/yuan';
import { ownerRefusal } from '../refusal-text';
import { counter } from '../../api/counter-client';
import { localDate } from '../../components/store-time';
import { NewCampaign } from './NewCampaign';
import { GiveCoupons } from './GiveCoupons';
import { EditCampaign } from './EditCampaign';

const STATUS_COLOUR = { active: 'green', paused: 'orange', ended: 'default' } as const;

export function CouponsPage() {
  const { t } = useTranslation('owner');
  const { message } = App.useApp();
  const client = useQueryClient();
  const list = useQuery({ queryKey: ['owner-campaigns'], queryFn: ownerPages.campaigns });
  const store = useQuery({ queryKey: ['owner-store'], queryFn: ownerPages.store });
  const hubNow = useQuery({ queryKey: ['hub-time'], queryFn: counter.health, staleTime: 600_000 });
  const today = hubNow.data && store.data ? localDate(hubNow.data.time, store.data.timeZone) : null;
  const [adding, setAdding] = useState(false);
  const [giving, setGiving] = useState<CampaignView | null>(null);
  const [editing, setEditing] = useState<CampaignView | null>(null);
  const results = useQueries({
    queries: (list.data ?? []).map((c) => ({
      queryKey: ['owner-campaign-results', c.id],
      queryFn: () => ownerPages.campaignResults(c.id),
    })),
  });
  const byId = new Map<string, CampaignResults>();
  for (const r of results) if (r.data) byId.set(r.data.campaignId, r.data);
  const patch = useMutation({
    mutationFn: (v: { c: CampaignView; status: 'active' | 'paused' | 'ended' }) =>
      ownerPages.patchCampaign(v.c.id, { status: v.status }),
    onSuccess: () => void client.invalidateQueries({ queryKey: ['owner-campaigns'] }),
    onError: (e) => void message.error(ownerRefusal(t, e)),
  });
  const figure = (c: CampaignView, k: keyof CampaignResults) => {
    const r = byId.get(c.id);
    return r ? r[k] : '…';
  };
  return (
    <Card
      title={t('coupons.title')}
      extra={
        <Button type="primary" disabled={!today} onClick={() => setAdding(true)}>
          {t('coupons.add')}
        </Button>
      }
    >
      {list.isError && <Alert type="error" showIcon title={ownerRefusal(t, list.error)} />}
      <Table<CampaignView>
        rowKey="id"
        loading={list.isFetching}
        dataSource={list.data ?? []}
        pagination={false}
        locale={{ emptyText: <Empty description={t('coupons.empty')} /> }}
        columns={[
          {
            key: 'name',
            title: t('stats.cols.campaign'),
            render: (_, c) => (
              <>
                <div>{c.name}</div>
                <div className="muted">{c.couponName}</div>
              </>
            ),
          },
          {
            key: 'kind',
            title: t('stats.cols.kind'),
            render: (_, c) => t(`stats.campaignKind.${c.kind}`),
          },
          {
            key: 'claim',
            title: t('coupons.claimWindow'),
            render: (_, c) => `${c.claimFrom} ~ ${c.claimTo}`,
          },
          {
            key: 'status',
            title: t('stats.cols.status'),
            render: (_, c) => (
              <Tag color={STATUS_COLOUR[c.status]}>{t(`stats.campaignStatus.${c.status}`)}</Tag>
            ),
          },
          { key: 'issued', title: t('stats.cols.issued'), render: (_, c) => figure(c, 'issued') },
          {
            key: 'claimed',
            title: t('stats.cols.claimed'),
            render: (_, c) => figure(c, 'claimed'),
          },
          { key: 'used', title: t('stats.cols.used'), render: (_, c) => figure(c, 'used') },
          {
            key: 'revenue',
            title: t('stats.cols.revenue'),
            render: (_, c) => {
              const r = byId.get(c.id);
              return r ? `¥${yuan(r.revenue)}` : '…';
            },
          },
          {
            key: 'newMembers',
            title: t('stats.cols.newMembers'),
            render: (_, c) => figure(c, 'newMembers'),
          },
          {
            key: 'cost',
            title: t('stats.cols.cost'),
            render: (_, c) => {
              const r = byId.get(c.id);
              return r ? `¥${yuan(r.cost)}` : '…';
            },
          },
          {
            key: 'actions',
            title: t('coupons.actions'),
            render: (_, c) =>
              c.status === 'ended' ? null : (
                <Space>
                  {c.status === 'active' && (
                    <Button size="small" onClick={() => setGiving(c)}>
                      {t('coupons.give.button')}
                    </Button>
                  )}
                  <Button size="small" onClick={() => setEditing(c)}>
                    {t('coupons.edit.button')}
                  </Button>
                  <Button
                    size="small"
                    onClick={() =>
                      patch.mutate({ c, status: c.status === 'active' ? 'paused' : 'active' })
                    }
                  >
                    {t(c.status === 'active' ? 'coupons.pause' : 'coupons.resume')}
                  </Button>
                  <Popconfirm
                    title={t('coupons.endConfirm', { name: c.name })}
                    okText={t('coupons.end')}
                    cancelText={t('common.cancel')}
                    onConfirm={() => patch.mutate({ c, status: 'ended' })}
                  >
                    <Button size="small" danger>
                      {t('coupons.end')}
                    </Button>
                  </Popconfirm>
                </Space>
              ),
          },
        ]}
      />
      {giving && (
        <GiveCoupons
          campaign={giving}
          give={async (body) => {
            const given = await ownerPages.giveCoupons(giving.id, body);
            void message.success(t('coupons.give.done', { n: given.length }));
            void client.invalidateQueries({ queryKey: ['owner-campaign-results', giving.id] });
          }}
          onClose={() => setGiving(null)}
        />
      )}
      {editing && (
        <EditCampaign
          campaign={editing}
          save={async (body) => {
            const after = await ownerPages.patchCampaign(editing.id, body);
            void message.success(t('coupons.edit.done', { name: after.name }));
            void client.invalidateQueries({ queryKey: ['owner-campaigns'] });
          }}
          onClose={() => setEditing(null)}
        />
      )}
      {adding && today && (
        <NewCampaign
          today={today}
          onClose={() => setAdding(false)}
          onSaved={() => void client.invalidateQueries({ queryKey: ['owner-campaigns'] })}
        />
      )}
    </Card>
  );
}
