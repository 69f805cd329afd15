// The store's booking rules (O4): how far ahead, the shortest and longest booking, the start grid,
// the cleaning buffer between bookings, how long an unpaid hold keeps a room, and the fee to cancel
// by notice. The hub checks the rules whole; a refusal names the rule. Read and changed through
// the source the page passes: the hub at the store, or the cloud from anywhere.
import { useEffect, type ReactNode } from 'react';
import { useMutation, useQuery } from '@tanstack/react-query';
import { Button, Card, Form, InputNumber, Select, Space } from 'antd';
import { useTranslation } from 'react-i18next';
import type { BookingRules } from '@roomhub/shared-types';
import { formName, type OwnerStoreSource } from '../../api/owner-client';
import { useChangeAnswers } from '../change-answers';

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

export function BookingRulesCard({
  source,
  title,
}: {
  source: OwnerStoreSource;
  title?: ReactNode;
}) {
  const { t } = useTranslation('owner');
  const answers = useChangeAnswers([source.key, ...source.touches], t('changes.waiting'));
  const store = useQuery({
    queryKey: source.key,
    queryFn: () => source.store(),
    refetchInterval: source.refetchInterval,
  });
  const [form] = Form.useForm<RulesForm>();
  useEffect(() => {
    if (store.data) form.setFieldsValue(store.data.rules);
  }, [store.data, form]);
  const save = useMutation({
    mutationFn: (v: RulesForm) => source.change({ rules: v }),
    onSuccess: (answer) => answers.answered(answer, t('rules.saved')),
    onError: (e) => answers.refused(e),
  });
  return (
    <Card title={title ?? t('rules.title')}>
      <Form<RulesForm>
        name={formName('rules', source)}
        form={form}
        layout="vertical"
        onFinish={(v) => save.mutate(v)}
      >
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
