// A new coupon campaign: what its coupon takes off (an amount, a percentage, spend X save Y, free
// hours), who gets it (claimed from a page or the kiosk, new customers, birthdays, referrals, by
// hand, members away longer than so many days), when it may be claimed, how long a coupon lasts
// and how many there are. The hub checks the whole; a refusal names the field.
import { useMutation, useQuery } from '@tanstack/react-query';
import { App, Form, Input, InputNumber, Modal, Select, Space } from 'antd';
import { useTranslation } from 'react-i18next';
import type { CampaignCreate, CampaignKind, CouponRule } from '@roomhub/shared-types';
import { ownerPages } from '../../api/owner-client';
import { ownerRefusal } from '../refusal-text';

const KINDS: CampaignKind[] = [
  'claim',
  'new_user',
  'birthday',
  'level',
  'referral',
  'win_back',
  'manual',
];
type RuleKind = CouponRule['kind'];

interface CampaignForm {
  name: string;
  couponName: string;
  kind: CampaignKind;
  rule: RuleKind;
  /** Yuan for amount, spend and off; a percentage; hours. */
  amountOff?: number;
  minSpend?: number;
  percentOff?: number;
  spend?: number;
  off?: number;
  hours?: number;
  claimFrom: string;
  claimTo: string;
  useDays: number;
  perPerson: number;
  totalLimit?: number | null;
  /** A win-back campaign's days away. */
  absentDays?: number;
  /** A level campaign's level; a birthday campaign's, when only one level's members get it. */
  level?: string | null;
}

const fen = (y: number | undefined) => Math.round((y ?? 0) * 100);

function ruleOf(v: CampaignForm): CouponRule {
  switch (v.rule) {
    case 'amount':
      return { kind: 'amount', amountOff: fen(v.amountOff), minSpend: fen(v.minSpend) };
    case 'percent':
      return {
        kind: 'percent',
        percentOff: v.percentOff ?? 0,
        capFen: null,
        minSpend: fen(v.minSpend),
      };
    case 'spend':
      return { kind: 'spend', spend: fen(v.spend), off: fen(v.off) };
    case 'hours':
      return { kind: 'hours', hours: v.hours ?? 1 };
  }
}

export function NewCampaign({
  today,
  onClose,
  onSaved,
  remote,
}: {
  today: string;
  onClose: () => void;
  onSaved: () => void;
  /**
   * From afar: the store's level names as it published them, and the change sent as an owner
   * intent (which tells how it went); at the store, the hub is asked and its levels read.
   */
  remote?: { levels: string[]; create: (body: CampaignCreate) => Promise<void> };
}) {
  const { t } = useTranslation('owner');
  const { message } = App.useApp();
  const [form] = Form.useForm<CampaignForm>();
  const rule = Form.useWatch('rule', form) ?? 'amount';
  const kind = Form.useWatch('kind', form) ?? 'claim';
  // Read again each time the form opens: the levels may have just been set on the members page.
  const levels = useQuery({
    queryKey: ['member-levels'],
    queryFn: ownerPages.memberLevels,
    staleTime: 0,
    enabled: !remote,
  });
  const levelNames = (remote?.levels ?? (levels.data?.levels ?? []).map((l) => l.name)).map(
    (name) => ({ value: name, label: name }),
  );
  const add = useMutation({
    mutationFn: async (v: CampaignForm): Promise<{ name: string } | null> => {
      const body: CampaignCreate = {
        name: v.name,
        kind: v.kind,
        couponName: v.couponName,
        coupon: {
          rule: ruleOf(v),
          scope: { roomIds: [], roomStyles: [], dayTypes: [], bands: [] },
          stacking: { withMember: true, withVoucher: false, withCoupon: false },
        },
        claimFrom: v.claimFrom,
        claimTo: v.claimTo,
        useDays: v.useDays,
        useUntil: null,
        perPerson: v.perPerson,
        totalLimit: v.totalLimit ?? null,
        level: v.kind === 'level' || v.kind === 'birthday' ? (v.level ?? null) : null,
        pointsPrice: null,
        absentDays: v.kind === 'win_back' ? (v.absentDays ?? null) : null,
      };
      if (!remote) return ownerPages.addCampaign(body);
      await remote.create(body);
      return null;
    },
    onSuccess: (c) => {
      if (c) void message.success(t('coupons.added', { name: c.name }));
      onSaved();
      onClose();
    },
    onError: (e) => void message.error(ownerRefusal(t, e)),
  });
  const required = [{ required: true, message: t('coupons.required') }];
  const yuanField = (name: keyof CampaignForm, label: string, need = true) => (
    <Form.Item name={name} label={label} rules={need ? required : []}>
      <InputNumber min={0} max={100000} precision={2} prefix="¥" style={{ width: 140 }} />
    </Form.Item>
  );
  return (
    <Modal
      open
      width={640}
      title={t('coupons.add')}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={add.isPending}
      onCancel={onClose}
      onOk={() => void form.validateFields().then((v) => add.mutate(v))}
    >
      <Form<CampaignForm>
        form={form}
        layout="vertical"
        initialValues={{
          kind: 'claim',
          rule: 'amount',
          claimFrom: today,
          // A month to claim in unless the owner says otherwise.
          claimTo: new Date(Date.parse(`${today}T00:00:00Z`) + 30 * 86_400_000)
            .toISOString()
            .slice(0, 10),
          useDays: 30,
          perPerson: 1,
          minSpend: 0,
          absentDays: 30,
        }}
      >
        <Space align="start" wrap>
          <Form.Item name="name" label={t('coupons.name')} rules={required}>
            <Input maxLength={40} style={{ width: 220 }} />
          </Form.Item>
          <Form.Item name="kind" label={t('coupons.kind')}>
            <Select
              style={{ width: 160 }}
              options={KINDS.map((k) => ({ value: k, label: t(`stats.campaignKind.${k}`) }))}
            />
          </Form.Item>
          {(kind === 'level' || kind === 'birthday') && (
            <Form.Item
              name="level"
              label={t('coupons.level')}
              extra={t(kind === 'level' ? 'coupons.levelHelp' : 'coupons.birthdayLevelHelp')}
              rules={kind === 'level' ? required : []}
            >
              <Select
                style={{ width: 160 }}
                allowClear={kind === 'birthday'}
                placeholder={t(kind === 'level' ? 'coupons.pickLevel' : 'coupons.everyLevel')}
                notFoundContent={t('coupons.noLevels')}
                options={levelNames}
              />
            </Form.Item>
          )}
          {kind === 'win_back' && (
            <Form.Item
              name="absentDays"
              label={t('coupons.absentDays')}
              extra={t('coupons.absentDaysHelp')}
              rules={required}
            >
              <InputNumber min={7} max={365} precision={0} suffix={t('rules.days')} />
            </Form.Item>
          )}
        </Space>
        <Form.Item
          name="couponName"
          label={t('coupons.couponName')}
          extra={t('coupons.couponNameHelp')}
          rules={required}
        >
          <Input maxLength={40} />
        </Form.Item>
        <Space align="start" wrap>
          <Form.Item name="rule" label={t('coupons.rule')}>
            <Select
              style={{ width: 140 }}
              options={(['amount', 'percent', 'spend', 'hours'] as const).map((r) => ({
                value: r,
                label: t(`coupons.rules.${r}`),
              }))}
            />
          </Form.Item>
          {rule === 'amount' && yuanField('amountOff', t('coupons.amountOff'))}
          {rule === 'percent' && (
            <Form.Item name="percentOff" label={t('coupons.percentOff')} rules={required}>
              <InputNumber min={1} max={99} precision={0} suffix="%" />
            </Form.Item>
          )}
          {(rule === 'amount' || rule === 'percent') &&
            yuanField('minSpend', t('coupons.minSpend'), false)}
          {rule === 'spend' && yuanField('spend', t('coupons.spend'))}
          {rule === 'spend' && yuanField('off', t('coupons.off'))}
          {rule === 'hours' && (
            <Form.Item name="hours" label={t('coupons.hours')} rules={required}>
              <InputNumber min={1} max={24} precision={0} suffix={t('prices.hoursUnit')} />
            </Form.Item>
          )}
        </Space>
        <Space align="start" wrap>
          <Form.Item name="claimFrom" label={t('coupons.claimFrom')} rules={required}>
            <Input type="date" style={{ width: 160 }} />
          </Form.Item>
          <Form.Item name="claimTo" label={t('coupons.claimTo')} rules={required}>
            <Input type="date" style={{ width: 160 }} />
          </Form.Item>
          <Form.Item name="useDays" label={t('coupons.useDays')} rules={required}>
            <InputNumber min={1} max={366} precision={0} suffix={t('rules.days')} />
          </Form.Item>
        </Space>
        <Space align="start" wrap>
          <Form.Item name="perPerson" label={t('coupons.perPerson')} rules={required}>
            <InputNumber min={1} max={20} precision={0} />
          </Form.Item>
          <Form.Item name="totalLimit" label={t('coupons.totalLimit')} extra={t('coupons.noLimit')}>
            <InputNumber min={1} max={1000000} precision={0} />
          </Form.Item>
        </Space>
      </Form>
    </Modal>
  );
}
