// One store's Meituan and Douyin shops as the cloud holds them (平台账号): linked or not, the shop,
// when it was linked and when the grant ends. 去授权 sends the browser to the platform's own
// authorise page, which sends it back here through the cloud; 解除绑定 withdraws the grant. The
// platforms' tokens never reach this page: the cloud answers the shop and the dates only.
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Empty, Popconfirm, Space, Table, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import {
  VoucherPlatformSchema,
  type PlatformAuthorisation,
  type VoucherPlatform,
} from '@roomhub/shared-types';
import { HubRefusal } from '../../api/hub-client';
import { remoteOwner } from '../../api/owner-remote-client';
import { refusalKey } from '../../components/refusal';
import { ownerRefusal } from '../refusal-text';
import { NS } from './platform-words';

const PLATFORMS = VoucherPlatformSchema.options;

interface Row {
  platform: VoucherPlatform;
  link: PlatformAuthorisation | undefined;
}

/** `YYYY-MM-DD HH:mm` in the browser's zone: the cloud answers these instants in UTC. */
function local(iso: string): string {
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

function useRefusal() {
  const { t } = useTranslation(NS);
  const { t: owner } = useTranslation('owner');
  return (e: unknown, platform: VoucherPlatform) =>
    t(`errors.${refusalKey(e)}`, {
      platform: t(`names.${platform}`),
      defaultValue: ownerRefusal(owner, e),
    });
}

/**
 * What the platform's round trip came to, as the cloud sent the browser back
 * (`?store=&linked=` or `?platform=&refused=`), shown once above the stores.
 */
export function PlatformsReturn() {
  const { t } = useTranslation(NS);
  const refusal = useRefusal();
  const [params, setParams] = useSearchParams();
  const linked = VoucherPlatformSchema.safeParse(params.get('linked'));
  const refusedOn = VoucherPlatformSchema.safeParse(params.get('platform'));
  const refused = params.get('refused');
  const close = () => setParams({}, { replace: true });
  if (linked.success) {
    return (
      <Alert
        className="gap"
        type="success"
        showIcon
        closable
        onClose={close}
        data-testid="platforms-return"
        message={t('linkedNow', { platform: t(`names.${linked.data}`) })}
      />
    );
  }
  if (refused && refusedOn.success) {
    return (
      <Alert
        className="gap"
        type="error"
        showIcon
        closable
        onClose={close}
        data-testid="platforms-return"
        message={refusal(new HubRefusal(422, refused, ''), refusedOn.data)}
      />
    );
  }
  return null;
}

export function RemotePlatforms({ storeId, storeName }: { storeId: string; storeName: string }) {
  const { t } = useTranslation(NS);
  const { message } = App.useApp();
  const refusal = useRefusal();
  const client = useQueryClient();
  const key = ['remote', storeId, 'platforms'];
  const links = useQuery({ queryKey: key, queryFn: () => remoteOwner.platforms(storeId) });
  const [going, setGoing] = useState<VoucherPlatform | null>(null);
  const name = (p: VoucherPlatform) => t(`names.${p}`);

  const authorise = async (platform: VoucherPlatform) => {
    setGoing(platform);
    try {
      const start = await remoteOwner.authorise(storeId, platform);
      message.info(t('sending', { platform: name(platform) }));
      window.location.assign(start.authoriseUrl);
    } catch (e) {
      setGoing(null);
      message.error(refusal(e, platform));
    }
  };
  const unlink = useMutation({
    mutationFn: (platform: VoucherPlatform) => remoteOwner.unlink(storeId, platform),
    onSuccess: (left, platform) => {
      client.setQueryData(key, left);
      message.success(t('unlinked', { platform: name(platform) }));
    },
    onError: (e, platform) => message.error(refusal(e, platform)),
  });

  const rows: Row[] = PLATFORMS.map((platform) => ({
    platform,
    link: links.data?.find((l) => l.platform === platform),
  }));
  const none = links.data !== undefined && links.data.length === 0;
  return (
    <Card
      title={t('title', { store: storeName })}
      className="gap"
      data-testid={`platforms-${storeId}`}
    >
      <p className="muted">{t('lead')}</p>
      {links.isError && <Alert type="error" message={refusal(links.error, 'meituan')} />}
      {none && <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('empty')} />}
      <Table<Row>
        size="small"
        rowKey="platform"
        pagination={false}
        loading={links.isPending}
        dataSource={rows}
        onRow={(r) => ({ 'data-testid': `platform-${r.platform}` }) as object}
        columns={[
          { title: t('platform'), render: (_, r) => name(r.platform) },
          {
            title: t('state'),
            render: (_, r) =>
              r.link ? <Tag color="green">{t('linked')}</Tag> : <Tag>{t('notLinked')}</Tag>,
          },
          {
            title: t('shop'),
            render: (_, r) => (r.link ? `${r.link.shopName}（${r.link.shopId}）` : '—'),
          },
          {
            title: t('linkedAt'),
            render: (_, r) => (r.link ? local(r.link.authorisedAt) : '—'),
          },
          {
            title: t('endsAt'),
            render: (_, r) =>
              !r.link ? '—' : r.link.endsAt ? local(r.link.endsAt) : t('endsUnknown'),
          },
          {
            title: t('actions'),
            render: (_, r) => (
              <Space>
                <Button
                  type={r.link ? 'default' : 'primary'}
                  loading={going === r.platform}
                  disabled={going !== null && going !== r.platform}
                  onClick={() => void authorise(r.platform)}
                >
                  {r.link ? t('authoriseAgain') : t('authorise')}
                </Button>
                {r.link && (
                  <Popconfirm
                    title={t('unlinkConfirm', {
                      platform: name(r.platform),
                      shop: r.link.shopName,
                    })}
                    okText={t('unlinkOk')}
                    cancelText={t('cancel')}
                    okButtonProps={{ danger: true }}
                    onConfirm={() => unlink.mutateAsync(r.platform).catch(() => undefined)}
                  >
                    <Button danger loading={unlink.isPending && unlink.variables === r.platform}>
                      {t('unlink')}
                    </Button>
                  </Popconfirm>
                )}
              </Space>
            ),
          },
        ]}
      />
    </Card>
  );
}
