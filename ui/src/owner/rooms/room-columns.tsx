// The columns a room is listed by, at the store and from afar alike: its first photo, name and
// whether it has a video; its style, capacity, area and facilities; whether it takes bookings.
import { Image, Space, Tag } from 'antd';
import type { TableColumnsType } from 'antd';
import type { TFunction } from 'i18next';
import type { Room } from '@roomhub/shared-types';

type Listed = Pick<
  Room,
  'name' | 'photos' | 'video' | 'style' | 'capacity' | 'areaSqm' | 'facilities' | 'status'
>;

/** Name to facilities, then whatever the page adds, then the status. */
export function roomColumns<R extends Listed>(
  t: TFunction,
  between: TableColumnsType<R> = [],
): TableColumnsType<R> {
  return [
    {
      key: 'name',
      title: t('rooms.name'),
      width: 180,
      render: (_, r) => (
        <Space style={{ whiteSpace: 'nowrap' }}>
          {r.photos[0] && <Image src={r.photos[0]} width={48} height={32} alt="" />}
          {r.name}
          {r.video && <Tag color="blue">{t('rooms.hasVideo')}</Tag>}
        </Space>
      ),
    },
    { key: 'style', dataIndex: 'style', title: t('rooms.style') },
    {
      key: 'capacity',
      title: t('rooms.capacity'),
      render: (_, r) => t('rooms.people', { n: r.capacity }),
    },
    { key: 'area', title: t('rooms.area'), render: (_, r) => `${r.areaSqm} m²` },
    {
      key: 'facilities',
      title: t('rooms.facilities'),
      render: (_, r) =>
        r.facilities.length ? r.facilities.map((f) => <Tag key={f}>{f}</Tag>) : '—',
    },
    ...between,
    {
      key: 'status',
      title: t('rooms.status'),
      render: (_, r) =>
        r.status === 'active' ? (
          <Tag color="green">{t('rooms.active')}</Tag>
        ) : (
          <Tag>{t('rooms.retiredTag')}</Tag>
        ),
    },
  ];
}
