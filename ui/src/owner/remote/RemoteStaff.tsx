// One store's staff seen from afar, as its hub published them: who, in which role, in post or
// disabled. The owner disables someone (every sign-in of theirs ends at once: a cashier who left
// the shop, a lost phone with the dashboard open) or enables them again from here, an owner intent
// the store answers by its own rules (the last owner stays). PINs are set at the store only.
import { useQuery } from '@tanstack/react-query';
import { Button, Card, Empty, Popconfirm, Table, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { OwnerStaff } from '@roomhub/shared-types';
import { remoteOwner } from '../../api/owner-remote-client';
import { ownerRefusal } from '../refusal-text';
import { useRemoteChange } from './use-remote-change';
import { stamp as at } from './when';

type Member = OwnerStaff['staff'][number];

export function RemoteStaff({ storeId, storeName }: { storeId: string; storeName: string }) {
  const { t } = useTranslation('owner');
  const key = ['remote', storeId, 'staff'] as const;
  const read = useQuery({
    queryKey: key,
    queryFn: () => remoteOwner.staff(storeId),
    refetchInterval: 60_000,
  });
  const { send } = useRemoteChange(storeId, key);
  const setStatus = (m: Member, status: Member['status']) =>
    send(
      () => remoteOwner.patchStaff(storeId, m.id, { status }),
      t(`remote.staff.made.${status}`, { name: m.name }),
    );
  const s = read.data;
  return (
    <Card
      title={t('remote.staff.title', { store: storeName })}
      className="gap"
      data-testid={`staff-${storeId}`}
    >
      {read.isError && <p>{ownerRefusal(t, read.error)}</p>}
      {s && s.updatedAt === null && <Empty description={t('remote.staff.none')} />}
      {s && s.updatedAt !== null && (
        <>
          <Table<Member>
            rowKey="id"
            size="small"
            pagination={false}
            dataSource={s.staff}
            onRow={(m) => ({ 'data-staff': m.name }) as object}
            columns={[
              { title: t('staff.name'), dataIndex: 'name' },
              { title: t('staff.role'), render: (_, m) => t(`roles.${m.role}`) },
              {
                title: t('staff.status'),
                render: (_, m) =>
                  m.status === 'active' ? (
                    <Tag color="green">{t('staff.active')}</Tag>
                  ) : (
                    <Tag>{t('staff.disabled')}</Tag>
                  ),
              },
              {
                title: t('remote.staff.change'),
                render: (_, m) =>
                  m.status === 'active' ? (
                    <Popconfirm
                      title={t('staff.disableConfirm', { name: m.name })}
                      okText={t('staff.disable')}
                      onConfirm={() => setStatus(m, 'disabled')}
                    >
                      <Button danger>{t('staff.disable')}</Button>
                    </Popconfirm>
                  ) : (
                    <Button onClick={() => setStatus(m, 'active')}>{t('staff.enable')}</Button>
                  ),
              },
            ]}
          />
          <p className="muted">
            {t('remote.staff.asOf', { at: at(s.updatedAt) })} {t('remote.staff.changeAtStore')}
          </p>
        </>
      )}
    </Card>
  );
}
