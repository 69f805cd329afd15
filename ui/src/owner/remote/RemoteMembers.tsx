// One store's members and campaigns seen from afar: how many members at each level, those who
// joined and came in the last 30 days, the points they hold, what the wallets owe, and how each
// campaign's coupons went. Counted, never listed (no phone leaves the store). From here a campaign
// is started (the store's own form), its claim end or total changed, paused, resumed or ended, its
// coupon given by hand to the phones typed (the store's own dialog), and the member levels and
// points rules changed (the store's own card), each an owner intent the store answers.
import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Button, Card, Descriptions, Empty, Popconfirm, Space, Table, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { OwnerMembers } from '@roomhub/shared-types';
import { remoteOwner } from '../../api/owner-remote-client';
import { yuan } from '../../components/yuan';
import { EditCampaign } from '../coupons/EditCampaign';
import { GiveCoupons } from '../coupons/GiveCoupons';
import { NewCampaign } from '../coupons/NewCampaign';
import { LevelsCard } from '../members/LevelsCard';
import { ownerRefusal } from '../refusal-text';
import { useRemoteChange } from './use-remote-change';
import { stamp as at, todayDate } from './when';

const STATUS_COLOR = { active: 'green', paused: 'orange', ended: 'default' } as const;

type Campaign = OwnerMembers['campaigns'][number];

export function RemoteMembers({ storeId, storeName }: { storeId: string; storeName: string }) {
  const { t } = useTranslation('owner');
  const read = useQuery({
    queryKey: ['remote', storeId, 'members'],
    queryFn: () => remoteOwner.members(storeId),
    refetchInterval: 60_000,
  });
  const m = read.data;
  const { send, sendOrThrow } = useRemoteChange(storeId, ['remote', storeId, 'members']);
  const [adding, setAdding] = useState(false);
  const [giving, setGiving] = useState<Campaign | null>(null);
  const [editing, setEditing] = useState<Campaign | null>(null);
  const settingsKey = ['remote', storeId, 'member-settings'] as const;
  // The levels and rules the store published (null: not yet), for the card and the campaign form.
  const readSettings = async () => {
    const s = await remoteOwner.memberSettings(storeId);
    return s.rules ? { rules: s.rules, levels: s.levels } : null;
  };
  const settings = useQuery({ queryKey: settingsKey, queryFn: readSettings });
  const levelsChange = useRemoteChange(storeId, settingsKey);
  const setStatus = (c: Campaign, status: Campaign['status']) =>
    send(
      () => remoteOwner.setCampaignStatus(storeId, c.campaignId, status),
      t(`remote.members.made.${status}`, { name: c.couponName }),
    );
  return (
    <>
      <Card
        title={t('remote.members.title', { store: storeName })}
        className="gap"
        data-testid={`members-${storeId}`}
        extra={
          m && (
            <Button type="primary" onClick={() => setAdding(true)}>
              {t('coupons.add')}
            </Button>
          )
        }
      >
        {read.isError && <p>{ownerRefusal(t, read.error)}</p>}
        {m && m.updatedAt === null && <Empty description={t('remote.members.none')} />}
        {m && m.updatedAt !== null && (
          <>
            <Descriptions column={{ xs: 1, md: 2 }} size="small" bordered>
              <Descriptions.Item label={t('remote.members.count')}>
                <span data-testid="member-count">{m.members}</span>
              </Descriptions.Item>
              <Descriptions.Item label={t('remote.members.levels')}>
                <span data-testid="member-level-counts">
                  {m.levels.length === 0
                    ? '—'
                    : m.levels
                        .map(
                          (l) =>
                            `${l.level ?? t('remote.members.noLevel')} ${t('remote.members.people', { n: l.members })}`,
                        )
                        .join(' · ')}
                </span>
              </Descriptions.Item>
              <Descriptions.Item label={t('remote.members.recent')}>
                {t('remote.members.recentText', { joined: m.joined30Days, came: m.visited30Days })}
              </Descriptions.Item>
              <Descriptions.Item label={t('remote.members.points')}>{m.points}</Descriptions.Item>
              <Descriptions.Item label={t('remote.members.wallet')}>
                <span data-testid="member-wallet">
                  {m.wallet
                    ? t('remote.members.walletText', {
                        principal: yuan(m.wallet.principal),
                        bonus: yuan(m.wallet.bonus),
                        n: m.wallet.wallets,
                      })
                    : '—'}
                </span>
              </Descriptions.Item>
              <Descriptions.Item label={t('remote.members.asOf')}>
                {at(m.updatedAt)}
              </Descriptions.Item>
            </Descriptions>
            <Table<Campaign>
              className="gap"
              size="small"
              rowKey="campaignId"
              pagination={false}
              dataSource={m.campaigns}
              locale={{ emptyText: t('remote.members.noCampaigns') }}
              onRow={(c) => ({ 'data-campaign': c.couponName }) as object}
              columns={[
                { title: t('remote.members.campaign'), dataIndex: 'couponName' },
                {
                  title: t('remote.members.status'),
                  dataIndex: 'status',
                  render: (s: Campaign['status'], c) => (
                    <>
                      <Tag color={STATUS_COLOR[s]}>{t(`stats.campaignStatus.${s}`)}</Tag>
                      {c.soldOut && <Tag>{t('remote.members.soldOut')}</Tag>}
                    </>
                  ),
                },
                {
                  title: t('remote.members.claim'),
                  render: (_, c) => `${c.claimFrom} – ${c.claimTo}`,
                },
                {
                  title: t('remote.members.price'),
                  render: (_, c) =>
                    c.pointsPrice === null
                      ? t('remote.members.free')
                      : t('remote.members.forPoints', { n: c.pointsPrice }),
                },
                { title: t('remote.members.issued'), dataIndex: 'issued' },
                { title: t('remote.members.used'), dataIndex: 'used' },
                {
                  title: t('remote.members.change'),
                  render: (_, c) =>
                    c.status === 'ended' ? null : (
                      <Space wrap>
                        {c.status === 'active' && (
                          <Button onClick={() => setGiving(c)}>{t('coupons.give.button')}</Button>
                        )}
                        <Button onClick={() => setEditing(c)}>{t('coupons.edit.button')}</Button>
                        {c.status === 'active' ? (
                          <Button onClick={() => setStatus(c, 'paused')}>
                            {t('remote.members.pause')}
                          </Button>
                        ) : (
                          <Button onClick={() => setStatus(c, 'active')}>
                            {t('remote.members.resume')}
                          </Button>
                        )}
                        <Popconfirm
                          title={t('remote.members.endConfirm', { name: c.couponName })}
                          okText={t('remote.members.end')}
                          onConfirm={() => setStatus(c, 'ended')}
                        >
                          <Button danger>{t('remote.members.end')}</Button>
                        </Popconfirm>
                      </Space>
                    ),
                },
              ]}
            />
            <p className="muted">{t('remote.members.changeAtStore')}</p>
          </>
        )}
        {giving && (
          <GiveCoupons
            campaign={{ name: giving.couponName, couponName: giving.couponName }}
            give={(body) =>
              sendOrThrow(
                () => remoteOwner.giveCoupons(storeId, giving.campaignId, body),
                t('remote.members.made.given', { name: giving.couponName, n: body.phones.length }),
              )
            }
            onClose={() => setGiving(null)}
          />
        )}
        {editing && (
          <EditCampaign
            campaign={{
              couponName: editing.couponName,
              claimFrom: editing.claimFrom,
              claimTo: editing.claimTo,
            }}
            save={(patch) =>
              sendOrThrow(
                () => remoteOwner.patchCampaign(storeId, editing.campaignId, patch),
                t('remote.members.made.patched', { name: editing.couponName }),
              )
            }
            onClose={() => setEditing(null)}
          />
        )}
        {adding && m && (
          <NewCampaign
            today={todayDate()}
            remote={{
              // The levels the store published; before it did, the ones its members hold.
              levels:
                settings.data?.levels.map((l) => l.name) ??
                m.levels.flatMap((l) => (l.level ? [l.level] : [])),
              create: (body) =>
                sendOrThrow(
                  () => remoteOwner.createCampaign(storeId, body),
                  t('remote.members.made.created', { name: body.name }),
                ),
            }}
            onClose={() => setAdding(false)}
            onSaved={() => undefined}
          />
        )}
      </Card>
      <div className="gap">
        <LevelsCard
          remote={{
            queryKey: settingsKey,
            read: readSettings,
            save: (body) =>
              levelsChange.sendOrThrow(
                () => remoteOwner.putMemberSettings(storeId, body),
                t('remote.members.made.levels'),
              ),
          }}
        />
      </div>
    </>
  );
}
