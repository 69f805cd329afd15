// Payment settings (O11): which ways to pay the store takes at the kiosk and at the counter, what
// each one runs on (the local stand-in with no real money, or the store's real gateway named in
// the hub's HUB_PAYMENTS file), whether its gateway answers now, and the owner's switch for each
// one at each place. Credentials never reach this page: they stay in the file on the hub. The
// customers' message settings are the cloud's, read from the remote dashboard.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Card, Space, Switch, Table, Tag } from 'antd';
import type { StaffRole } from '@roomhub/shared-types';
import { useTranslation } from 'react-i18next';
import { ownerDeals, type PaymentChannelView } from '../../api/owner-client';
import { ownerRefusal } from '../refusal-text';
import { ownerMay } from '../role-access';

type Place = 'kiosk' | 'counter';

export function PaymentsPage({ role }: { role: StaffRole }) {
  const { t } = useTranslation('owner');
  const { message } = App.useApp();
  const client = useQueryClient();
  const mayswitch = ownerMay(role, 'switchPayments');
  const channels = useQuery({
    queryKey: ['payment-channels'],
    queryFn: ownerDeals.paymentChannels,
  });
  const flip = useMutation({
    mutationFn: (v: { place: Place; choice: string; on: boolean }) =>
      ownerDeals.switchChannel(v.place, v.choice, v.on),
    onSuccess: (_, v) => {
      void message.success(
        t(v.on ? 'payments.switchedOn' : 'payments.switchedOff', {
          choice: t(`payments.choices.${v.choice}`),
          place: t(`payments.places.${v.place}`),
        }),
      );
      void client.invalidateQueries({ queryKey: ['payment-channels'] });
    },
    onError: (e) => void message.error(ownerRefusal(t, e)),
  });

  const placeCell = (place: Place) => (c: PaymentChannelView) => {
    const state = c[place];
    if (state === 'not_offered') return <span className="muted">{t('payments.notOffered')}</span>;
    // A member's wallet is money the store owes: always taken.
    if (c.choice === 'wallet') return <Tag color="green">{t('payments.alwaysOn')}</Tag>;
    return (
      <Switch
        aria-label={`${t(`payments.choices.${c.choice}`)} ${t(`payments.places.${place}`)}`}
        data-testid={`switch-${place}-${c.choice}`}
        checked={state === 'on'}
        disabled={!mayswitch || c.kind === 'not_set_up'}
        loading={flip.isPending && flip.variables?.choice === c.choice}
        checkedChildren={t('payments.on')}
        unCheckedChildren={t('payments.off')}
        onChange={(on) => flip.mutate({ place, choice: c.choice, on })}
      />
    );
  };

  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }}>
      <Card title={t('payments.title')}>
        <p className="owner-note">{t('payments.lead')}</p>
        {!mayswitch && (
          <Alert type="info" showIcon message={t('payments.ownerSwitches')} className="gap" />
        )}
        <Table<PaymentChannelView>
          rowKey="choice"
          data-testid="payment-channels"
          loading={channels.isFetching}
          dataSource={channels.data ?? []}
          pagination={false}
          columns={[
            {
              title: t('payments.choice'),
              render: (_, c) => <strong>{t(`payments.choices.${c.choice}`)}</strong>,
            },
            {
              title: t('payments.runsOn'),
              render: (_, c) => (
                <span data-testid={`kind-${c.choice}`}>
                  <Tag color={KIND_COLOUR[c.kind]} style={{ marginInlineEnd: 8 }}>
                    {t(`payments.kinds.${c.kind}`)}
                  </Tag>
                  {c.host && <span className="muted">{c.host}</span>}
                </span>
              ),
            },
            {
              title: t('payments.reachable'),
              render: (_, c) =>
                c.reachable === null ? (
                  <span className="muted">—</span>
                ) : c.reachable ? (
                  <Tag color="green">{t('payments.answers')}</Tag>
                ) : (
                  <Tag color="red">{t('payments.noAnswer')}</Tag>
                ),
            },
            { title: t('payments.places.kiosk'), render: (_, c) => placeCell('kiosk')(c) },
            { title: t('payments.places.counter'), render: (_, c) => placeCell('counter')(c) },
          ]}
        />
        <p className="owner-note gap">{t('payments.credentials')}</p>
      </Card>
      <Card title={t('payments.messagesTitle')}>
        <p className="owner-note" data-testid="messages-note">
          {t('payments.messages')}
        </p>
      </Card>
    </Space>
  );
}

const KIND_COLOUR: Record<PaymentChannelView['kind'], string> = {
  simulator: 'orange',
  gateway: 'blue',
  store: 'default',
  not_set_up: 'red',
};
