// Prices (O3, O4): a room's price plan (hourly rates by day type, time bands, packages, seasons,
// the billing step), the store's promotions with their switch, and the booking rules, beside a
// live quote preview that prices a span from the hub's own quote, line by line as the kiosk shows
// it. Saving a plan asks the preview again, so the owner sees what a customer will now pay. The
// plan and rules cards take the source the page passes: the hub here, the cloud from anywhere.
import { useEffect, useState, type ReactNode } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Empty,
  Form,
  Input,
  InputNumber,
  Select,
  Space,
  Spin,
  Switch,
  Table,
  Tag,
} from 'antd';
import { useTranslation } from 'react-i18next';
import { BILLING_STEPS, type PromotionView } from '@roomhub/shared-types';
import {
  formName,
  hubPlans,
  hubStore,
  ownerPages,
  type OwnerPlansSource,
  type PricedRoom,
} from '../../api/owner-client';
import { useChangeAnswers } from '../change-answers';
import { ownerRefusal } from '../refusal-text';
import { planOfForm, planToForm, type PlanForm } from './plan-form';
import { QuotePreview } from './QuotePreview';
import { BookingRulesCard } from './BookingRulesCard';
import { NewPromotion } from './NewPromotion';
import { counter } from '../../api/counter-client';
import { localDate } from '../../components/store-time';

const DAY_TYPES = ['workday', 'weekend', 'holiday'] as const;

export function PricesPage() {
  const { t } = useTranslation('owner');
  const rooms = useQuery({ queryKey: ['owner-rooms'], queryFn: ownerPages.rooms });
  const active = (rooms.data ?? []).filter((r) => r.status === 'active');
  const [roomId, setRoomId] = useState<string | null>(null);
  const room = active.find((r) => r.id === roomId) ?? active[0] ?? null;
  if (rooms.isPending) return <Spin />;
  if (rooms.isError) return <Alert type="error" showIcon title={ownerRefusal(t, rooms.error)} />;
  if (!room) return <Empty description={t('prices.noRooms')} />;
  return (
    <div className="owner-grid">
      <RoomPlanCard source={hubPlans} roomId={room.id} onRoomId={setRoomId} />
      <QuotePreview rooms={active} roomId={room.id} />
      <PromotionsCard />
      <BookingRulesCard source={hubStore} />
    </div>
  );
}

/**
 * A room's price plan, the room picked at the top (the first active one unless `roomId` names
 * another), read and changed through `source`.
 */
export function RoomPlanCard({
  source,
  roomId,
  onRoomId,
  title,
}: {
  source: OwnerPlansSource;
  roomId: string | null;
  onRoomId: (roomId: string) => void;
  title?: ReactNode;
}) {
  const { t } = useTranslation('owner');
  const rooms = useQuery({
    queryKey: source.key,
    queryFn: () => source.rooms(),
    refetchInterval: source.refetchInterval,
  });
  const active = (rooms.data ?? []).filter((r) => r.status === 'active');
  const room = active.find((r) => r.id === roomId) ?? active[0] ?? null;
  return (
    <Card
      title={title ?? t('prices.planTitle')}
      extra={
        room && (
          <Select
            aria-label={t('prices.room')}
            style={{ width: 220 }}
            value={room.id}
            options={active.map((r) => ({
              value: r.id,
              label: r.number ? `${r.number} ${r.name}` : r.name,
            }))}
            onChange={onRoomId}
          />
        )
      }
    >
      {rooms.isPending ? (
        <Spin />
      ) : rooms.isError ? (
        <Alert type="error" showIcon title={ownerRefusal(t, rooms.error)} />
      ) : room ? (
        <PlanEditor key={room.id} room={room} source={source} />
      ) : (
        <Empty description={t('prices.noRooms')} />
      )}
    </Card>
  );
}

function RatesFields({ name, label }: { name: (string | number)[]; label?: string }) {
  const { t } = useTranslation('owner');
  return (
    <Space wrap>
      {DAY_TYPES.map((d) => (
        <Form.Item
          key={d}
          name={[...name, d]}
          label={label ? `${label} · ${t(`prices.dayType.${d}`)}` : t(`prices.dayType.${d}`)}
          rules={[{ required: true, message: t('prices.rateRule') }]}
        >
          <InputNumber min={0} max={10000} precision={2} prefix="¥" style={{ width: 140 }} />
        </Form.Item>
      ))}
    </Space>
  );
}

function PlanEditor({ room, source }: { room: PricedRoom; source: OwnerPlansSource }) {
  const { t } = useTranslation('owner');
  const answers = useChangeAnswers([source.key, ...source.touches], t('changes.waiting'));
  const [form] = Form.useForm<PlanForm>();
  useEffect(() => form.setFieldsValue(planToForm(room.pricePlan)), [room, form]);
  const save = useMutation({
    mutationFn: (v: PlanForm) => source.changePlan(room.id, planOfForm(v, room.pricePlan)),
    onSuccess: (answer) => answers.answered(answer, t('prices.saved', { name: room.name })),
    onError: (e) => answers.refused(e),
  });
  return (
    <Form<PlanForm>
      name={formName(`plan-${room.id}`, source)}
      form={form}
      layout="vertical"
      initialValues={planToForm(room.pricePlan)}
      onFinish={(v) => save.mutate(v)}
    >
      <h4>{t('prices.baseRates')}</h4>
      <RatesFields name={['rates']} />
      <Form.Item name="stepMinutes" label={t('prices.step')} extra={t('prices.stepHelp')}>
        <Select
          style={{ width: 160 }}
          options={BILLING_STEPS.map((m) => ({ value: m, label: t('prices.minutes', { n: m }) }))}
        />
      </Form.Item>

      <h4>{t('prices.bands')}</h4>
      <Form.List name="bands">
        {(fields, { add, remove }) => (
          <>
            {fields.length === 0 && <p className="muted">{t('prices.noBands')}</p>}
            {fields.map((f) => (
              <Card key={f.key} size="small" className="gap">
                <Space wrap align="start">
                  <Form.Item
                    name={[f.name, 'name']}
                    label={t('prices.bandName')}
                    rules={[{ required: true, whitespace: true, message: t('prices.nameRule') }]}
                  >
                    <Input maxLength={40} style={{ width: 120 }} />
                  </Form.Item>
                  <TimeField name={[f.name, 'from']} label={t('prices.from')} />
                  <TimeField name={[f.name, 'to']} label={t('prices.to')} />
                  <Button danger type="link" onClick={() => remove(f.name)}>
                    {t('prices.remove')}
                  </Button>
                </Space>
                <RatesFields name={[f.name, 'rates']} />
              </Card>
            ))}
            <Button
              className="gap"
              onClick={() =>
                add({
                  name: '',
                  from: '22:00',
                  to: '08:00',
                  rates: form.getFieldValue('rates') as PlanForm['rates'],
                })
              }
            >
              {t('prices.addBand')}
            </Button>
          </>
        )}
      </Form.List>

      <h4 className="gap">{t('prices.packages')}</h4>
      <Form.List name="packages">
        {(fields, { add, remove }) => (
          <>
            {fields.length === 0 && <p className="muted">{t('prices.noPackages')}</p>}
            {fields.map((f) => (
              <Card key={f.key} size="small" className="gap">
                <Space wrap align="start">
                  <Form.Item
                    name={[f.name, 'name']}
                    label={t('prices.packageName')}
                    rules={[{ required: true, whitespace: true, message: t('prices.nameRule') }]}
                  >
                    <Input maxLength={40} style={{ width: 120 }} />
                  </Form.Item>
                  <Form.Item
                    name={[f.name, 'id']}
                    label={t('prices.packageId')}
                    rules={[
                      { required: true, pattern: /^[a-z0-9-]{1,40}$/, message: t('prices.idRule') },
                    ]}
                  >
                    <Input maxLength={40} style={{ width: 120 }} />
                  </Form.Item>
                  <TimeField name={[f.name, 'start']} label={t('prices.start')} />
                  <Form.Item
                    name={[f.name, 'minutes']}
                    label={t('prices.length')}
                    rules={[{ required: true, message: t('prices.lengthRule') }]}
                  >
                    <InputNumber min={30} max={1440} step={30} suffix={t('prices.min')} />
                  </Form.Item>
                  <Button danger type="link" onClick={() => remove(f.name)}>
                    {t('prices.remove')}
                  </Button>
                </Space>
                <Space wrap>
                  {DAY_TYPES.map((d) => (
                    <Form.Item
                      key={d}
                      name={[f.name, 'prices', d]}
                      label={t(`prices.dayType.${d}`)}
                    >
                      <InputNumber
                        min={0}
                        max={10000}
                        precision={2}
                        prefix="¥"
                        placeholder={t('prices.notSold')}
                        style={{ width: 140 }}
                      />
                    </Form.Item>
                  ))}
                </Space>
              </Card>
            ))}
            <Button
              className="gap"
              onClick={() =>
                add({ id: '', name: '', start: '13:00', minutes: 240, prices: { workday: null } })
              }
            >
              {t('prices.addPackage')}
            </Button>
          </>
        )}
      </Form.List>

      <h4 className="gap">{t('prices.seasons')}</h4>
      <Form.List name="seasons">
        {(fields, { add, remove }) => (
          <>
            {fields.length === 0 && <p className="muted">{t('prices.noSeasons')}</p>}
            {fields.map((f) => (
              <Card key={f.key} size="small" className="gap">
                <Space wrap align="start">
                  <Form.Item
                    name={[f.name, 'name']}
                    label={t('prices.seasonName')}
                    rules={[{ required: true, whitespace: true, message: t('prices.nameRule') }]}
                  >
                    <Input maxLength={40} style={{ width: 120 }} />
                  </Form.Item>
                  {(['from', 'to'] as const).map((k) => (
                    <Form.Item
                      key={k}
                      name={[f.name, k]}
                      label={t(`prices.season${k === 'from' ? 'From' : 'To'}`)}
                      rules={[
                        {
                          required: true,
                          pattern: /^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/,
                          message: t('prices.monthDayRule'),
                        },
                      ]}
                    >
                      <Input placeholder="07-01" maxLength={5} style={{ width: 90 }} />
                    </Form.Item>
                  ))}
                  <Button danger type="link" onClick={() => remove(f.name)}>
                    {t('prices.remove')}
                  </Button>
                </Space>
                <RatesFields name={[f.name, 'rates']} />
              </Card>
            ))}
            <Button
              className="gap"
              onClick={() =>
                add({
                  name: '',
                  from: '07-01',
                  to: '08-31',
                  rates: form.getFieldValue('rates') as PlanForm['rates'],
                })
              }
            >
              {t('prices.addSeason')}
            </Button>
          </>
        )}
      </Form.List>
      <div className="gap">
        <Button type="primary" htmlType="submit" loading={save.isPending}>
          {t('prices.savePlan')}
        </Button>
      </div>
    </Form>
  );
}

function TimeField({ name, label }: { name: (string | number)[]; label: string }) {
  const { t } = useTranslation('owner');
  return (
    <Form.Item
      name={name}
      label={label}
      rules={[
        {
          required: true,
          pattern: /^([01]\d|2[0-3]):[0-5]\d$|^24:00$/,
          message: t('store.timeRule'),
        },
      ]}
    >
      <Input maxLength={5} placeholder="22:00" style={{ width: 80 }} />
    </Form.Item>
  );
}

function PromotionsCard() {
  const { t } = useTranslation('owner');
  const { message } = App.useApp();
  const client = useQueryClient();
  const list = useQuery({ queryKey: ['owner-promotions'], queryFn: ownerPages.promotions });
  const store = useQuery({ queryKey: ['owner-store'], queryFn: ownerPages.store });
  const hubNow = useQuery({ queryKey: ['hub-time'], queryFn: counter.health, staleTime: 600_000 });
  const today = hubNow.data && store.data ? localDate(hubNow.data.time, store.data.timeZone) : null;
  const [adding, setAdding] = useState(false);
  const refresh = () => {
    void client.invalidateQueries({ queryKey: ['owner-promotions'] });
    void client.invalidateQueries({ queryKey: ['owner-quote'] });
  };
  const flip = useMutation({
    mutationFn: (v: { p: PromotionView; enabled: boolean }) =>
      ownerPages.switchPromotion(v.p.id, v.enabled),
    onSuccess: refresh,
    onError: (e) => void message.error(ownerRefusal(t, e)),
  });
  return (
    <Card
      title={t('prices.promotions')}
      extra={
        <Button disabled={!today} onClick={() => setAdding(true)}>
          {t('prices.addPromotion')}
        </Button>
      }
    >
      {list.isError && <Alert type="error" showIcon title={ownerRefusal(t, list.error)} />}
      <Table<PromotionView>
        rowKey="id"
        size="small"
        loading={list.isFetching}
        dataSource={list.data ?? []}
        pagination={false}
        locale={{ emptyText: <Empty description={t('prices.noPromotions')} /> }}
        columns={[
          { key: 'name', dataIndex: 'name', title: t('prices.promotion') },
          {
            key: 'kind',
            title: t('prices.promotionKind'),
            render: (_, p) => <Tag>{t(`prices.promotionKinds.${p.rule.kind}`)}</Tag>,
          },
          { key: 'when', title: t('prices.period'), render: (_, p) => `${p.from} ~ ${p.to}` },
          {
            key: 'on',
            title: t('prices.enabled'),
            render: (_, p) => (
              <Switch
                aria-label={`${t('prices.enabled')} ${p.name}`}
                checked={p.enabled}
                onChange={(enabled) => flip.mutate({ p, enabled })}
              />
            ),
          },
        ]}
      />
      {adding && today && (
        <NewPromotion today={today} onClose={() => setAdding(false)} onSaved={refresh} />
      )}
    </Card>
  );
}
