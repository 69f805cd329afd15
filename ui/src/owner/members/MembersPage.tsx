// Members (O6): each member with their level, points, wallet, spend, visits and last visit,
// filtered by level, spend, last visit or digits of the phone; the owner exports the list as CSV,
// phone numbers and birthdays masked unless asked for in full. The hub audits every export. Below,
// the levels and points rules (LevelsCard).
import { useState } from 'react';
import { useMutation, useQuery } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Checkbox,
  Empty,
  Input,
  InputNumber,
  Select,
  Space,
  Table,
  Tag,
} from 'antd';
import { useTranslation } from 'react-i18next';
import type { MemberView, StaffRole } from '@roomhub/shared-types';
import { downloadMembersCsv, ownerPages, type MemberFilters } from '../../api/owner-client';
import { yuan } from '../../components/yuan';
import { ownerRefusal } from '../refusal-text';
import { ownerMay } from '../role-access';
import { LevelsCard } from './LevelsCard';

const PAGE = 20;

export function MembersPage({ role }: { role: StaffRole }) {
  const { t } = useTranslation('owner');
  const { message } = App.useApp();
  const [draft, setDraft] = useState<MemberFilters>({});
  const [filters, setFilters] = useState<MemberFilters>({});
  const [page, setPage] = useState(1);
  const [full, setFull] = useState(false);
  const levels = useQuery({ queryKey: ['owner-member-levels'], queryFn: ownerPages.memberLevels });
  const list = useQuery({
    queryKey: ['owner-members', filters, page],
    queryFn: () => ownerPages.members(filters, (page - 1) * PAGE),
  });
  const exportCsv = useMutation({
    mutationFn: () => downloadMembersCsv(filters, full),
    onSuccess: (file) => void message.success(t('members.exported', { file })),
    onError: (e) => void message.error(ownerRefusal(t, e)),
  });
  const fen = (y: number | null | undefined) =>
    y === null || y === undefined ? undefined : Math.round(y * 100);
  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }}>
      <Card
        title={t('members.title')}
        extra={
          ownerMay(role, 'exportMembers') && (
            <Space>
              <Checkbox checked={full} onChange={(e) => setFull(e.target.checked)}>
                {t('members.full')}
              </Checkbox>
              <Button
                data-testid="members-csv"
                loading={exportCsv.isPending}
                onClick={() => exportCsv.mutate()}
              >
                {t('members.export')}
              </Button>
            </Space>
          )
        }
      >
        <Space wrap className="owner-toolbar">
          <Select
            allowClear
            aria-label={t('members.level')}
            placeholder={t('members.anyLevel')}
            style={{ width: 140 }}
            value={draft.levelId}
            options={(levels.data?.levels ?? []).map((l) => ({ value: l.id, label: l.name }))}
            onChange={(levelId?: string) => setDraft({ ...draft, levelId })}
          />
          <Input
            aria-label={t('members.phone')}
            placeholder={t('members.phoneDigits')}
            style={{ width: 160 }}
            maxLength={11}
            value={draft.phone ?? ''}
            onChange={(e) => setDraft({ ...draft, phone: e.target.value.replace(/\D/g, '') })}
          />
          <InputNumber
            aria-label={t('members.spendMin')}
            placeholder={t('members.spendMin')}
            min={0}
            prefix="¥"
            style={{ width: 140 }}
            onChange={(v) => setDraft({ ...draft, spendMin: fen(v as number | null) })}
          />
          <InputNumber
            aria-label={t('members.spendMax')}
            placeholder={t('members.spendMax')}
            min={0}
            prefix="¥"
            style={{ width: 140 }}
            onChange={(v) => setDraft({ ...draft, spendMax: fen(v as number | null) })}
          />
          <Input
            type="date"
            aria-label={t('members.lastVisitFrom')}
            style={{ width: 150 }}
            onChange={(e) => setDraft({ ...draft, lastVisitFrom: e.target.value || undefined })}
          />
          <span className="muted">~</span>
          <Input
            type="date"
            aria-label={t('members.lastVisitTo')}
            style={{ width: 150 }}
            onChange={(e) => setDraft({ ...draft, lastVisitTo: e.target.value || undefined })}
          />
          <Button
            type="primary"
            onClick={() => {
              setFilters(draft);
              setPage(1);
            }}
          >
            {t('members.filter')}
          </Button>
        </Space>
        {list.isError && <Alert type="error" showIcon title={ownerRefusal(t, list.error)} />}
        <Table<MemberView>
          rowKey="id"
          loading={list.isFetching}
          dataSource={list.data?.members ?? []}
          locale={{ emptyText: <Empty description={t('members.empty')} /> }}
          pagination={{
            current: page,
            pageSize: PAGE,
            total: list.data?.total ?? 0,
            showSizeChanger: false,
            onChange: setPage,
            showTotal: (n) => t('members.total', { n }),
          }}
          columns={[
            { key: 'phone', dataIndex: 'phone', title: t('members.phone') },
            { key: 'name', title: t('members.name'), render: (_, m) => m.name ?? '—' },
            {
              key: 'level',
              title: t('members.level'),
              render: (_, m) => (m.level ? <Tag color="gold">{m.level.name}</Tag> : '—'),
            },
            { key: 'points', dataIndex: 'points', title: t('members.points') },
            {
              key: 'wallet',
              title: t('members.wallet'),
              render: (_, m) => (m.wallet === undefined ? '—' : `¥${yuan(m.wallet)}`),
            },
            { key: 'spend', title: t('members.spend'), render: (_, m) => `¥${yuan(m.totalSpend)}` },
            { key: 'visits', dataIndex: 'visits', title: t('members.visits') },
            {
              key: 'last',
              title: t('members.lastVisit'),
              render: (_, m) => (m.lastVisitAt ? m.lastVisitAt.slice(0, 10) : t('members.never')),
            },
            {
              key: 'joined',
              title: t('members.joined'),
              render: (_, m) => m.joinedAt.slice(0, 10),
            },
          ]}
        />
      </Card>
      <LevelsCard />
    </Space>
  );
}
