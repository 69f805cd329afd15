// A new automatic promotion (O3): a percentage or an amount off room time, or spend X save Y, for
// a run of days, on for every room and day type; the quote preview shows it as its own line once
// saved. The hub checks the whole; a refusal names the field.
import { useMutation } from '@tanstack/react-query';
import { App, Form, Input, InputNumber, Modal, Select, Space } from 'antd';
import { useTranslation } from 'react-i18next';
import type { PromotionInput } from '@roomhub/shared-types';
import { ownerPages } from '../../api/owner-client';
import { ownerRefusal } from '../refusal-text';

type Kind = 'percent' | 'amount' | 'spend';

interface PromotionForm {
  name: string;
  kind: Kind;
  percentOff?: number;
  amountOff?: number;
  spend?: number;
  off?: number;
  from: string;
  to: string;
}

const fen = (y: number | undefined) => Math.round((y ?? 0) * 100);

function ruleOf(v: PromotionForm): PromotionInput['rule'] {
  switch (v.kind) {
    case 'percent':
      return { kind: 'percent', percentOff: v.percentOff ?? 0, capFen: null };
    case 'amount':
      return { kind: 'amount', amountOff: fen(v.amountOff) };
    case 'spend':
      return { kind: 'spend', spend: fen(v.spend), off: fen(v.off) };
  }
}

export function NewPromotion({
  today,
  onClose,
  onSaved,
}: {
  today: string;
  onClose: () => void;
  onSaved: () => void;
}) {
  const { t } = useTranslation('owner');
  const { message } = App.useApp();
  const [form] = Form.useForm<PromotionForm>();
  const kind = Form.useWatch('kind', form) ?? 'percent';
  const add = useMutation({
    mutationFn: (v: PromotionForm) =>
      ownerPages.addPromotion({ name: v.name, from: v.from, to: v.to, rule: ruleOf(v) }),
    onSuccess: (p) => {
      void message.success(t('prices.promotionAdded', { name: p.name }));
      onSaved();
      onClose();
    },
    onError: (e) => void message.error(ownerRefusal(t, e)),
  });
  const required = [{ required: true, message: t('coupons.required') }];
  const yuan = (name: keyof PromotionForm, label: string) => (
    <Form.Item name={name} label={label} rules={required}>
      <InputNumber min={0.01} max={100000} precision={2} prefix="¥" style={{ width: 140 }} />
    </Form.Item>
  );
  return (
    <Modal
      open
      width={600}
      title={t('prices.addPromotion')}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={add.isPending}
      onCancel={onClose}
      onOk={() => void form.validateFields().then((v) => add.mutate(v))}
    >
      <Form<PromotionForm>
        form={form}
        layout="vertical"
        initialValues={{
          kind: 'percent',
          from: today,
          to: new Date(Date.parse(`${today}T00:00:00Z`) + 30 * 86_400_000)
            .toISOString()
            .slice(0, 10),
        }}
      >
        <Form.Item name="name" label={t('prices.promotionName')} rules={required}>
          <Input maxLength={40} />
        </Form.Item>
        <Space align="start" wrap>
          <Form.Item name="kind" label={t('prices.promotionKind')}>
            <Select
              style={{ width: 140 }}
              options={(['percent', 'amount', 'spend'] as const).map((k) => ({
                value: k,
                label: t(`prices.promotionKinds.${k}`),
              }))}
            />
          </Form.Item>
          {kind === 'percent' && (
            <Form.Item name="percentOff" label={t('coupons.percentOff')} rules={required}>
              <InputNumber min={1} max={99} precision={0} suffix="%" />
            </Form.Item>
          )}
          {kind === 'amount' && yuan('amountOff', t('coupons.amountOff'))}
          {kind === 'spend' && yuan('spend', t('coupons.spend'))}
          {kind === 'spend' && yuan('off', t('coupons.off'))}
        </Space>
        <Space align="start" wrap>
          <Form.Item name="from" label={t('prices.promotionFrom')} rules={required}>
            <Input type="date" style={{ width: 160 }} />
          </Form.Item>
          <Form.Item name="to" label={t('prices.promotionTo')} rules={required}>
            <Input type="date" style={{ width: 160 }} />
          </Form.Item>
        </Space>
      </Form>
    </Modal>
  );
}
