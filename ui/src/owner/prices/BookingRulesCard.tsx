// The store's booking rules (O4): how far ahead, the shortest and longest booking, the start grid,
// the cleaning buffer between bookings, how long an unpaid hold keeps a room, and the fee to cancel
// by notice. The hub checks the rules whole; a refusal names the rule.
import { useEffect } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Form, InputNumber, Select, Space } from 'antd';
import { useTranslation } from 'react-i18next';
import type { BookingRules } from '@roomhub/shared-types';
import { ownerPages } from '../../api/owner-client';
import { ownerRefusal } from '../refusal-text';

type RulesForm = Pick<
  BookingRules,
  | 'advanceDays'
  | 'minMinutes'
  | 'maxMinutes'
  | 'stepMinutes'
  | 'bufferMinutes'
  | 'holdMinutes'
  | 'cancellation'
>;

const NUMBERS = [
  ['advanceDays', 0, 180, 'days'],
  ['minMinutes', 1, 1440, 'min'],
  ['maxMinutes', 1, 10080, 'min'],
  ['bufferMinutes', 0, 240, 'min'],
  ['holdMinutes', 1, 1440, 'min'],
] as const;

export function BookingRulesCard() {
  const { t } = useTranslation('owner');
  const { message } = App.useApp();
  const client = useQueryClient();
  const store = useQuery({ queryKey: ['owner-store'], queryFn: ownerPages.store });
  const [form] = Form.useForm<RulesForm>();
  useEffect(() => {
    if (store.data) form.setFieldsValue(store.data.rules);
  }, [store.data, form]);
  const save = useMutation({
    mutationFn: (v: RulesForm) => ownerPages.patchStore({ rules: v }),
    onSuccess: (s) => {
      client.setQueryData(['owner-store'], s);
      void client.invalidateQueries({ queryKey: ['owner-quote'] });
      void message.success(t('rules.saved'));
    },
    onError: (e) => void message.error(ownerRefusal(t, e)),
  });
  return (
    <Card title={t('rules.title')}>
      <Form<RulesForm> form={form} layout="vertical" onFinish={(v) => save.mutate(v)}>
        <Space wrap align="start">
          {NUMBERS.map(([key, min, max, unit]) => (
            <Form.Item
              key={key}
              name={key}
              label={t(`rules.${key}`)}
              rules={[{ required: true, message: t('rules.numberRule', { min, max }) }]}
            >
              <InputNumber min={min} max={max} precision={0} suffix={t(`rules.${unit}`)} />
            </Form.Item>
          ))}
          <Form.Item name="stepMinutes" label={t('rules.stepMinutes')}>
            <Select
              style={{ width: 120 }}
              options={[5, 10, 15, 20, 30, 60].map((m) => ({
                value: m,
                label: t('prices.minutes', { n: m }),
              }))}
            />
          </Form.Item>
        </Space>
        <h4>{t('rules.cancellation')}</h4>
        <Form.List name="cancellation">
          {(fields, { add, remove }) => (
            <>
              {fields.map((f) => (
                <Space key={f.key} align="start">
                  <Form.Item
                    name={[f.name, 'minNoticeMinutes']}
                    label={t('rules.notice')}
                    rules={[
                      { required: true, message: t('rules.numberRule', { min: 0, max: 43200 }) },
                    ]}
                  >
                    <InputNumber min={0} max={43200} precision={0} suffix={t('rules.min')} />
                  </Form.Item>
                  <Form.Item
                    name={[f.name, 'feePercent']}
                    label={t('rules.fee')}
                    rules={[
                      { required: true, message: t('rules.numberRule', { min: 0, max: 100 }) },
                    ]}
                  >
                    <InputNumber min={0} max={100} precision={0} suffix="%" />
                  </Form.Item>
                  {fields.length > 1 && (
                    <Button type="link" danger className="gap" onClick={() => remove(f.name)}>
                      {t('prices.remove')}
                    </Button>
                  )}
                </Space>
              ))}
              <div>
                <Button onClick={() => add({ minNoticeMinutes: 120, feePercent: 0 })}>
                  {t('rules.addTier')}
                </Button>
              </div>
            </>
          )}
        </Form.List>
        <Button type="primary" htmlType="submit" className="gap" loading={save.isPending}>
          {t('rules.save')}
        </Button>
      </Form>
    </Card>
  );
}
