// One deal made or changed (O7): what it is (our own, or a Meituan / Douyin deal by its id there),
// what a voucher buys (hours or a session package; rooms, days, party size), its price, group size,
// validity, purchase limit, stock and refund rules. Money is typed in yuan and sent in fen; the
// hub checks every rule again and a refusal names the field.
import { useMutation } from '@tanstack/react-query';
import { App, Button, Checkbox, Form, Input, InputNumber, Radio, Select, Space } from 'antd';
import { useTranslation } from 'react-i18next';
import type { DealInput, DealPatch, DealView, RemoteDealPatch } from '@roomhub/shared-types';
import { ownerDeals } from '../../api/owner-client';
import { ownerRefusal } from '../refusal-text';

interface Values {
  source: 'own' | 'meituan' | 'douyin';
  platformDealId?: string;
  title: string;
  description?: string;
  kind: 'hours' | 'session';
  hours: number;
  packageId?: string;
  dayTypes: ('workday' | 'weekend' | 'holiday')[];
  roomIds: string[];
  maxPartySize?: number | null;
  price?: number | null;
  originalPrice?: number | null;
  groupSize: number;
  groupHours: number;
  validDays: number;
  perCustomerLimit?: number | null;
  stock?: number | null;
  refunds: ('refundAnyTime' | 'refundOnExpiry')[];
  status: DealView['status'];
}

const fen = (yuan: number | null | undefined) =>
  yuan === null || yuan === undefined ? null : Math.round(yuan * 100);

export function DealForm({
  deal,
  rooms,
  onSaved,
  send,
  sendPatch,
}: {
  deal: DealView | null;
  rooms: { id: string; name: string }[];
  /** The deal as the hub saved it; null when it was sent from afar (`send`). */
  onSaved: (d: DealView | null) => void;
  /** From afar: a new deal sent as an owner intent, which tells how it went. */
  send?: (input: DealInput) => Promise<void>;
  /**
   * From afar: the deal's terms changed, sent as an owner intent. Its status is not part of it
   * (put on sale or taken off by itself), so the form does not offer it.
   */
  sendPatch?: (patch: RemoteDealPatch) => Promise<void>;
}) {
  const { t } = useTranslation('owner');
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const source = Form.useWatch('source', form) ?? deal?.source ?? 'own';
  const kind = Form.useWatch('kind', form) ?? deal?.entitlement.kind ?? 'hours';
  const save = useMutation({
    mutationFn: async (v: Values): Promise<DealView | null> => {
      const fields = {
        title: v.title.trim(),
        description: (v.description ?? '').trim(),
        entitlement: {
          ...(deal?.entitlement ?? {}),
          kind: v.kind,
          minutes: Math.round(v.hours * 60),
          packageId: v.kind === 'session' ? (v.packageId?.trim() ?? null) : null,
          dayTypes: v.dayTypes,
          roomIds: v.roomIds,
          maxPartySize: v.maxPartySize ?? null,
        },
        groupSize: v.groupSize,
        groupHours: v.groupHours,
        validDays: v.validDays,
        perCustomerLimit: v.perCustomerLimit ?? null,
        stock: v.stock ?? null,
        refundAnyTime: v.refunds.includes('refundAnyTime'),
        refundOnExpiry: v.refunds.includes('refundOnExpiry'),
        status: v.status,
        ...(v.source === 'own'
          ? { price: fen(v.price) ?? 0, originalPrice: fen(v.originalPrice) }
          : { platformDealId: v.platformDealId?.trim() || null }),
      };
      if (deal && sendPatch) {
        // Only what the owner changed: a term changed at the store since it was published stays.
        const { status: _status, ...terms } = fields;
        const was = deal as unknown as Record<string, unknown>;
        const changed = Object.fromEntries(
          Object.entries(terms).filter(([k, v]) => JSON.stringify(v) !== JSON.stringify(was[k])),
        );
        if (Object.keys(changed).length === 0) void message.info(t('deals.nothingChanged'));
        else await sendPatch(changed as RemoteDealPatch);
        return null;
      }
      if (deal) return ownerDeals.patchDeal(deal.id, fields as DealPatch);
      const input = { source: v.source, ...fields } as DealInput;
      if (!send) return ownerDeals.addDeal(input);
      await send(input);
      return null;
    },
    onSuccess: onSaved,
    onError: (e) => void message.error(ownerRefusal(t, e)),
  });
  const e = deal?.entitlement;
  return (
    <Form<Values>
      form={form}
      layout="vertical"
      data-testid="deal-form"
      initialValues={{
        source: deal?.source ?? 'own',
        platformDealId: deal?.platformDealId ?? '',
        title: deal?.title ?? '',
        description: deal?.description ?? '',
        kind: e?.kind ?? 'hours',
        hours: e ? e.minutes / 60 : 2,
        packageId: e?.packageId ?? '',
        dayTypes: e?.dayTypes ?? [],
        roomIds: e?.roomIds ?? [],
        maxPartySize: e?.maxPartySize ?? null,
        price: deal ? deal.price / 100 : null,
        originalPrice: deal?.originalPrice != null ? deal.originalPrice / 100 : null,
        groupSize: deal?.groupSize ?? 1,
        groupHours: deal?.groupHours ?? 24,
        validDays: deal?.validDays ?? 90,
        perCustomerLimit: deal?.perCustomerLimit ?? null,
        stock: deal?.stock ?? null,
        refunds: [
          ...(deal ? (deal.refundAnyTime ? ['refundAnyTime'] : []) : ['refundAnyTime']),
          ...(deal ? (deal.refundOnExpiry ? ['refundOnExpiry'] : []) : ['refundOnExpiry']),
        ],
        status: deal?.status ?? 'on_sale',
      }}
      onFinish={(v) => save.mutate(v)}
    >
      <Form.Item name="source" label={t('deals.source')}>
        <Radio.Group
          disabled={deal !== null}
          optionType="button"
          options={(['own', 'meituan', 'douyin'] as const).map((s) => ({
            value: s,
            label: t(`deals.sources.${s}`),
          }))}
        />
      </Form.Item>
      {source !== 'own' && (
        <Form.Item
          name="platformDealId"
          label={t('deals.platformDealId')}
          extra={t('deals.platformDealIdHelp')}
          rules={[{ required: true, whitespace: true, message: t('deals.platformDealIdRule') }]}
        >
          <Input maxLength={64} />
        </Form.Item>
      )}
      <Form.Item
        name="title"
        label={t('deals.dealTitle')}
        rules={[{ required: true, whitespace: true, message: t('deals.titleRule') }]}
      >
        <Input maxLength={60} placeholder={t('deals.titlePlaceholder')} />
      </Form.Item>
      <Form.Item name="description" label={t('deals.description')}>
        <Input.TextArea maxLength={2000} rows={2} />
      </Form.Item>
      <Space wrap align="start">
        <Form.Item name="kind" label={t('deals.buys')}>
          <Radio.Group
            optionType="button"
            options={[
              { value: 'hours', label: t('deals.kinds.hours') },
              { value: 'session', label: t('deals.kinds.session') },
            ]}
          />
        </Form.Item>
        <Form.Item
          name="hours"
          label={t('deals.hours')}
          rules={[
            { required: true, type: 'number', min: 0.5, max: 24, message: t('deals.hoursRule') },
          ]}
        >
          <InputNumber min={0.5} max={24} step={0.5} />
        </Form.Item>
        {kind === 'session' && (
          <Form.Item
            name="packageId"
            label={t('deals.packageId')}
            rules={[{ required: true, whitespace: true, message: t('deals.packageRule') }]}
          >
            <Input maxLength={40} style={{ width: 140 }} />
          </Form.Item>
        )}
        <Form.Item name="maxPartySize" label={t('deals.maxPartySize')}>
          <InputNumber min={1} max={50} placeholder={t('deals.anySize')} />
        </Form.Item>
      </Space>
      <Form.Item name="roomIds" label={t('deals.rooms')} extra={t('deals.roomsHelp')}>
        <Select mode="multiple" options={rooms.map((r) => ({ value: r.id, label: r.name }))} />
      </Form.Item>
      <Form.Item name="dayTypes" label={t('deals.days')} extra={t('deals.daysHelp')}>
        <Checkbox.Group
          options={(['workday', 'weekend', 'holiday'] as const).map((d) => ({
            value: d,
            label: t(`deals.dayTypes.${d}`),
          }))}
        />
      </Form.Item>
      {source === 'own' && (
        <Space wrap align="start">
          <Form.Item
            name="price"
            label={t('deals.priceYuan')}
            rules={[{ required: true, type: 'number', min: 0.01, message: t('deals.priceRule') }]}
          >
            <InputNumber min={0.01} step={1} precision={2} />
          </Form.Item>
          <Form.Item name="originalPrice" label={t('deals.originalPriceYuan')}>
            <InputNumber min={0} step={1} precision={2} />
          </Form.Item>
          <Form.Item name="groupSize" label={t('deals.groupSize')} extra={t('deals.groupHelp')}>
            <InputNumber min={1} max={50} />
          </Form.Item>
          <Form.Item name="groupHours" label={t('deals.groupHours')}>
            <InputNumber min={1} max={720} />
          </Form.Item>
        </Space>
      )}
      <Space wrap align="start">
        <Form.Item name="validDays" label={t('deals.validDays')}>
          <InputNumber min={1} max={730} />
        </Form.Item>
        <Form.Item name="perCustomerLimit" label={t('deals.perCustomerLimit')}>
          <InputNumber min={1} max={100} placeholder={t('deals.noLimit')} />
        </Form.Item>
        <Form.Item name="stock" label={t('deals.stock')}>
          <InputNumber min={0} max={1_000_000} placeholder={t('deals.noLimit')} />
        </Form.Item>
      </Space>
      <Form.Item name="refunds" label={t('deals.refunds')}>
        <Checkbox.Group
          options={[
            { value: 'refundAnyTime', label: t('deals.refundAnyTime') },
            { value: 'refundOnExpiry', label: t('deals.refundOnExpiry') },
          ]}
        />
      </Form.Item>
      {!sendPatch && (
        <Form.Item name="status" label={t('deals.status')}>
          <Radio.Group
            optionType="button"
            options={(['draft', 'on_sale', 'off_sale'] as const).map((s) => ({
              value: s,
              label: t(`deals.statuses.${s}`),
            }))}
          />
        </Form.Item>
      )}
      <Button type="primary" htmlType="submit" loading={save.isPending} data-testid="save-deal">
        {t('common.save')}
      </Button>
    </Form>
  );
}
