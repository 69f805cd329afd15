// The owner's rules for shared tables (C14), on the store page: whether customers may start one,
// the notice every player ticks before taking a seat, and the hours games may be played. The hub
// checks every field; a refusal names it.
import { useEffect } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Divider, Form, Input, Space, Switch } from 'antd';
import i18next from 'i18next';
import { useTranslation } from 'react-i18next';
import type { TableSettings } from '@roomhub/shared-types';
import { call } from '../../api/counter-client';
import { ownerRefusal } from '../refusal-text';
import zhTables from '../../locales/zh-CN/tables.json';
import enTables from '../../locales/en-US/tables.json';

interface SettingsForm {
  enabled: boolean;
  ageNotice: string;
  anyTime: boolean;
  from: string;
  to: string;
}

const TIME = /^([01]\d|2[0-3]):[0-5]\d$|^24:00$/;

export function TablesSettings() {
  if (!i18next.hasResourceBundle('zh-CN', 'tables')) {
    i18next.addResourceBundle('zh-CN', 'tables', zhTables, true, true);
    i18next.addResourceBundle('en-US', 'tables', enTables, true, true);
  }
  const { t } = useTranslation(['tables', 'owner']);
  const { message } = App.useApp();
  const client = useQueryClient();
  const settings = useQuery({
    queryKey: ['owner-table-settings'],
    queryFn: () => call<TableSettings>('GET', '/api/tables/settings'),
  });
  const [form] = Form.useForm<SettingsForm>();
  const anyTime = Form.useWatch('anyTime', form) ?? true;
  useEffect(() => {
    const s = settings.data;
    if (!s) return;
    form.setFieldsValue({
      enabled: s.enabled,
      ageNotice: s.ageNotice,
      anyTime: s.hours === null,
      from: s.hours?.from ?? '10:00',
      to: s.hours?.to ?? '24:00',
    });
  }, [settings.data, form]);
  const save = useMutation({
    mutationFn: (v: SettingsForm) =>
      call<TableSettings>('PUT', '/api/tables/settings', {
        enabled: v.enabled,
        ageNotice: v.ageNotice.trim(),
        hours: v.anyTime ? null : { from: v.from, to: v.to },
      }),
    onSuccess: (s) => {
      client.setQueryData(['owner-table-settings'], s);
      void message.success(t('owner.saved'));
    },
    onError: (e) => void message.error(ownerRefusal(t, e)),
  });
  if (settings.isError) {
    return <Alert type="error" showIcon title={ownerRefusal(t, settings.error)} />;
  }
  return (
    <>
      <Divider titlePlacement="start">{t('owner.title')}</Divider>
      <Form<SettingsForm>
        form={form}
        layout="vertical"
        style={{ maxWidth: 720 }}
        initialValues={{ enabled: true, ageNotice: '', anyTime: true, from: '10:00', to: '24:00' }}
        onFinish={(v) => save.mutate(v)}
      >
        <Form.Item name="enabled" label={t('owner.enabled')} valuePropName="checked">
          <Switch />
        </Form.Item>
        <Form.Item name="ageNotice" label={t('owner.ageNotice')} rules={[{ max: 200 }]}>
          <Input.TextArea maxLength={200} placeholder={t('owner.ageNoticeHint')} autoSize />
        </Form.Item>
        <Form.Item name="anyTime" label={t('owner.anyTime')} valuePropName="checked">
          <Switch />
        </Form.Item>
        {!anyTime && (
          <Space>
            {(['from', 'to'] as const).map((f) => (
              <Form.Item
                key={f}
                name={f}
                label={t(`owner.${f}`)}
                rules={[{ required: true, pattern: TIME, message: t('owner.timeRule') }]}
              >
                <Input maxLength={5} style={{ width: 120 }} />
              </Form.Item>
            ))}
          </Space>
        )}
        <Form.Item>
          <Button htmlType="submit" loading={save.isPending}>
            {t('owner.save')}
          </Button>
        </Form.Item>
      </Form>
    </>
  );
}
