// Complaints between customers and stores (P1, C13): the list by status (to handle, closed, all),
// and one complaint in a drawer with the order's facts as the store published them and the whole
// conversation; order staff reply in it as 平台客服 (the first reply steps in) and close it with an
// outcome and words, both sides told. A role that may only read sees no reply or close. Read again
// every ten seconds, the open complaint every five.
import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Descriptions,
  Drawer,
  Empty,
  Input,
  Segmented,
  Select,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useTranslation } from 'react-i18next';
import {
  COMPLAINT_OUTCOMES,
  type ComplaintOrderFacts,
  type ComplaintOutcome,
  type ComplaintStatus,
  type PlatformComplaintDetail,
  type PlatformComplaintView,
} from '@roomhub/shared-types';
import { platform } from '../platform-client';
import { complaintsApi, type ComplaintFilter } from './complaints-client';
import { NS, when, yuan } from './words';

const STATUS_COLOR: Record<ComplaintStatus, string> = {
  open: 'red',
  joined: 'orange',
  closed: 'default',
};

export function ComplaintsPage() {
  const { t } = useTranslation(NS);
  const [filter, setFilter] = useState<ComplaintFilter>('open');
  const [picked, setPicked] = useState<{ storeId: string; chatId: string } | null>(null);
  const list = useQuery({
    queryKey: ['platform', 'complaints', filter],
    queryFn: () => complaintsApi.list(filter),
    refetchInterval: 10_000,
  });
  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }}>
      <Typography.Title level={3} style={{ margin: 0 }}>
        {t('title')}
      </Typography.Title>
      <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
        {t('hint')}
      </Typography.Paragraph>
      <Segmented<ComplaintFilter>
        value={filter}
        onChange={setFilter}
        options={(['open', 'closed', 'all'] as const).map((f) => ({
          value: f,
          label: t(`filter.${f}`),
        }))}
      />
      {list.isError && <Alert type="error" showIcon message={list.error.message} />}
      <Table<PlatformComplaintView>
        size="small"
        rowKey={(c) => `${c.storeId}:${c.chatId}`}
        data-testid="complaint-list"
        loading={list.isLoading}
        locale={{ emptyText: t('empty') }}
        pagination={{ pageSize: 20 }}
        dataSource={list.data?.complaints ?? []}
        onRow={(c) => ({ onClick: () => setPicked({ storeId: c.storeId, chatId: c.chatId }) })}
        columns={[
          {
            title: t('col.status'),
            dataIndex: 'status',
            width: 130,
            render: (s: ComplaintStatus, c) => (
              <Tag color={STATUS_COLOR[s]}>
                {c.closed ? t(`outcome.${c.closed.outcome}`) : t(`status.${s}`)}
              </Tag>
            ),
          },
          {
            title: t('col.store'),
            width: 140,
            render: (_, c) => c.storeName ?? c.storeId,
          },
          { title: t('col.customer'), dataIndex: 'customer', width: 120 },
          { title: t('col.reason'), dataIndex: 'reason', ellipsis: true },
          { title: t('col.filedAt'), dataIndex: 'filedAt', width: 160, render: when },
          {
            title: '',
            width: 80,
            render: (_, c) => (
              <Button
                size="small"
                onClick={(e) => {
                  e.stopPropagation();
                  setPicked({ storeId: c.storeId, chatId: c.chatId });
                }}
              >
                {t('open')}
              </Button>
            ),
          },
        ]}
      />
      <Drawer
        open={picked !== null}
        width={720}
        title={t('detail.title')}
        onClose={() => setPicked(null)}
        destroyOnClose
      >
        {picked && <ComplaintDetail storeId={picked.storeId} chatId={picked.chatId} />}
      </Drawer>
    </Space>
  );
}

function ComplaintDetail({ storeId, chatId }: { storeId: string; chatId: string }) {
  const { t } = useTranslation(NS);
  const { message } = App.useApp();
  const client = useQueryClient();
  const me = useQuery({ queryKey: ['platform', 'me'], queryFn: platform.me });
  const key = ['platform', 'complaint', storeId, chatId];
  const detail = useQuery({
    queryKey: key,
    queryFn: () => complaintsApi.detail(storeId, chatId),
    refetchInterval: 5_000,
  });
  const [text, setText] = useState('');
  const [outcome, setOutcome] = useState<ComplaintOutcome | undefined>();
  const [words, setWords] = useState('');
  const done = (after: PlatformComplaintDetail) => {
    client.setQueryData(key, after);
    void client.invalidateQueries({ queryKey: ['platform', 'complaints'] });
  };
  const say = useMutation({
    mutationFn: () => complaintsApi.say(storeId, chatId, text.trim()),
    onSuccess: (after) => {
      done(after);
      setText('');
      void message.success(t('reply.sent'));
    },
    onError: (e: Error) => void message.error(e.message),
  });
  const close = useMutation({
    mutationFn: () => complaintsApi.close(storeId, chatId, outcome!, words.trim()),
    onSuccess: (after) => {
      done(after);
      void message.success(t('close.done'));
    },
    onError: (e: Error) => void message.error(e.message),
  });
  if (detail.isError) return <Alert type="error" showIcon message={detail.error.message} />;
  if (!detail.data) return null;
  const { complaint: c, lines, order } = detail.data;
  const canManage = me.data?.actions.includes('orders.manage') ?? false;
  return (
    <Space direction="vertical" size={20} style={{ width: '100%' }} data-testid="complaint-detail">
      <Descriptions size="small" column={1} bordered>
        <Descriptions.Item label={t('col.status')}>
          <Tag color={STATUS_COLOR[c.status]} data-testid="complaint-status">
            {t(`status.${c.status}`)}
          </Tag>
        </Descriptions.Item>
        <Descriptions.Item label={t('col.store')}>{c.storeName ?? c.storeId}</Descriptions.Item>
        <Descriptions.Item label={t('col.customer')}>{c.customer}</Descriptions.Item>
        <Descriptions.Item label={t('detail.reason')}>{c.reason}</Descriptions.Item>
        <Descriptions.Item label={t('detail.filedAt')}>{when(c.filedAt)}</Descriptions.Item>
        {c.joinedAt && c.joinedBy && (
          <Descriptions.Item label={t('detail.joined')}>
            {t('detail.joinedBy', {
              name: c.joinedBy.name,
              phone: c.joinedBy.phone,
              at: when(c.joinedAt),
            })}
          </Descriptions.Item>
        )}
        {c.closed && (
          <Descriptions.Item label={t('detail.closed')}>
            <span data-testid="complaint-outcome">
              {t('detail.closedBy', {
                outcome: t(`outcome.${c.closed.outcome}`),
                words: c.closed.words,
                name: c.closed.by.name,
                at: when(c.closed.at),
              })}
            </span>
          </Descriptions.Item>
        )}
      </Descriptions>

      <section>
        <Typography.Title level={5}>{t('detail.order')}</Typography.Title>
        {order ? <OrderFacts order={order} /> : <Empty description={t('detail.noOrder')} />}
      </section>

      <section>
        <Typography.Title level={5}>{t('detail.conversation')}</Typography.Title>
        <ol className="complaint-lines" data-testid="complaint-lines" style={{ paddingLeft: 0 }}>
          {lines.map((l) => (
            <li
              key={l.id}
              style={{
                listStyle: 'none',
                margin: '6px 0',
                padding: '6px 10px',
                borderRadius: 8,
                background:
                  l.from === 'platform' ? '#e8f0fa' : l.from === 'store' ? '#f5f5f5' : '#fdf6ec',
              }}
            >
              <Typography.Text type="secondary">
                {l.from === 'store' && l.name
                  ? `${t('from.store')} · ${l.name}`
                  : t(`from.${l.from}`)}{' '}
                · {when(l.at)}
              </Typography.Text>{' '}
              {l.note && <Tag color="red">{t(`note.${l.note}`)}</Tag>}
              <div style={{ whiteSpace: 'pre-wrap' }}>{l.text}</div>
            </li>
          ))}
        </ol>
      </section>

      {c.status === 'closed' ? (
        <Alert type="info" showIcon message={t('closedNote')} />
      ) : !canManage ? (
        <Alert type="info" showIcon message={t('readOnly')} />
      ) : (
        <>
          <section>
            <Typography.Title level={5}>{t('reply.label')}</Typography.Title>
            <Input.TextArea
              data-testid="complaint-reply"
              aria-label={t('reply.label')}
              value={text}
              placeholder={t('reply.placeholder')}
              maxLength={500}
              autoSize={{ minRows: 2, maxRows: 5 }}
              onChange={(e) => setText(e.target.value)}
            />
            <Button
              type="primary"
              style={{ marginTop: 8 }}
              disabled={text.trim().length === 0}
              loading={say.isPending}
              onClick={() => say.mutate()}
            >
              {t('reply.send')}
            </Button>
          </section>
          <section>
            <Typography.Title level={5}>{t('close.title')}</Typography.Title>
            <Space direction="vertical" style={{ width: '100%' }}>
              <Select<ComplaintOutcome>
                data-testid="complaint-outcome-select"
                aria-label={t('close.outcome')}
                placeholder={t('close.outcome')}
                style={{ width: 240 }}
                value={outcome}
                onChange={setOutcome}
                options={COMPLAINT_OUTCOMES.map((o) => ({ value: o, label: t(`outcome.${o}`) }))}
              />
              <Input.TextArea
                data-testid="complaint-words"
                aria-label={t('close.words')}
                value={words}
                placeholder={t('close.wordsHint')}
                maxLength={500}
                autoSize={{ minRows: 2, maxRows: 5 }}
                onChange={(e) => setWords(e.target.value)}
              />
              <Button
                danger
                disabled={!outcome || words.trim().length < 4}
                loading={close.isPending}
                onClick={() => close.mutate()}
              >
                {t('close.submit')}
              </Button>
            </Space>
          </section>
        </>
      )}
    </Space>
  );
}

function OrderFacts({ order }: { order: ComplaintOrderFacts }) {
  const { t } = useTranslation(NS);
  const local = (at: string) =>
    new Date(at).toLocaleString('zh-CN', { timeZone: order.timeZone, hour12: false });
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Descriptions size="small" column={2} bordered data-testid="complaint-order">
        <Descriptions.Item label={t('order.id')}>{order.bookingId}</Descriptions.Item>
        <Descriptions.Item label={t('order.status')}>
          {t(`orderStatus.${order.status}`, { defaultValue: order.status })}
        </Descriptions.Item>
        <Descriptions.Item label={t('order.room')}>{order.roomName ?? '—'}</Descriptions.Item>
        <Descriptions.Item label={t('order.party')}>{order.partySize}</Descriptions.Item>
        <Descriptions.Item label={t('order.time')} span={2}>
          {local(order.start)} – {local(order.end)}
        </Descriptions.Item>
        <Descriptions.Item label={t('order.amount')}>{yuan(order.totals.amount)}</Descriptions.Item>
        <Descriptions.Item label={t('order.paid')}>{yuan(order.totals.paid)}</Descriptions.Item>
        <Descriptions.Item label={t('order.refunded')}>
          {yuan(order.totals.refunded)}
        </Descriptions.Item>
      </Descriptions>
      <Typography.Text strong>{t('order.lines')}</Typography.Text>
      <ul style={{ margin: 0 }}>
        {order.lines.map((l, i) => (
          <li key={i}>
            {l.label} × {l.quantity} · {yuan(l.amount)}
          </li>
        ))}
      </ul>
      <Typography.Text strong>{t('order.history')}</Typography.Text>
      <ul style={{ margin: 0 }}>
        {order.history.map((h, i) => (
          <li key={i}>
            {local(h.at)} · {h.action}:{' '}
            {h.from ? `${t(`orderStatus.${h.from}`, { defaultValue: h.from })} → ` : ''}
            {t(`orderStatus.${h.to}`, { defaultValue: h.to })}
            {h.reason ? ` (${h.reason})` : ''}
          </li>
        ))}
      </ul>
    </Space>
  );
}
