// The rooms' speakers (C7): which stored clip each announcement plays (the 15- and 5-minute
// reminders, the time-up), the day volume and the quieter night volume with the night's hours.
// The hub checks the settings whole; a refusal names the field.
import { useEffect } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Form, Input, InputNumber, Space } from 'antd';
import { useTranslation } from 'react-i18next';
import { AnnouncementKindSchema, type SpeakerSettings } from '@roomhub/shared-types';
import { ownerPages } from '../../api/owner-client';
import { ownerRefusal } from '../refusal-text';

const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;

export function SpeakerSettingsCard({ hasSpeakers }: { hasSpeakers: boolean }) {
  const { t } = useTranslation('owner');
  const { message } = App.useApp();
  const client = useQueryClient();
  const settings = useQuery({ queryKey: ['owner-speaker'], queryFn: ownerPages.speakerSettings });
  const [form] = Form.useForm<SpeakerSettings>();
  useEffect(() => {
    if (settings.data) form.setFieldsValue(settings.data);
  }, [settings.data, form]);
  const save = useMutation({
    mutationFn: (v: SpeakerSettings) => ownerPages.setSpeakerSettings(v),
    onSuccess: (s) => {
      client.setQueryData(['owner-speaker'], s);
      void message.success(t('devices.speaker.saved'));
    },
    onError: (e) => void message.error(ownerRefusal(t, e)),
  });
  const submit = (v: SpeakerSettings) => {
    // The neighbours sleep: the night is never louder than the day (the hub says so too).
    if (v.nightVolume > v.volume) {
      form.setFields([{ name: 'nightVolume', errors: [t('devices.speaker.nightTooLoud')] }]);
      return;
    }
    const clips = Object.fromEntries(
      AnnouncementKindSchema.options.map((k) => [k, v.clips[k] ?? null]),
    ) as SpeakerSettings['clips'];
    save.mutate({ ...v, clips });
  };
  return (
    <Card title={t('devices.speaker.title')}>
      <Space direction="vertical" style={{ width: '100%' }}>
        <span className="muted">{t('devices.speaker.intro')}</span>
        {!hasSpeakers && <Alert type="info" showIcon title={t('devices.speaker.noSpeakers')} />}
        <Form<SpeakerSettings> form={form} layout="vertical" onFinish={submit}>
          <Space wrap align="start">
            {AnnouncementKindSchema.options.map((k) => (
              <Form.Item key={k} name={['clips', k]} label={t(`devices.speaker.clips.${k}`)}>
                <InputNumber
                  aria-label={t(`devices.speaker.clips.${k}`)}
                  min={1}
                  max={255}
                  precision={0}
                  placeholder={t('devices.speaker.none')}
                  prefix="#"
                />
              </Form.Item>
            ))}
          </Space>
          <Space wrap align="start">
            <Form.Item
              name="volume"
              label={t('devices.speaker.volume')}
              rules={[{ required: true }]}
            >
              <InputNumber min={0} max={100} precision={0} suffix="%" />
            </Form.Item>
            <Form.Item
              name="nightVolume"
              label={t('devices.speaker.nightVolume')}
              rules={[{ required: true }]}
            >
              <InputNumber min={0} max={100} precision={0} suffix="%" />
            </Form.Item>
            <Form.Item
              label={t('devices.speaker.night')}
              extra={t('devices.speaker.nightHelp')}
              required
            >
              <Space>
                <Form.Item name={['night', 'from']} noStyle rules={[{ pattern: HHMM }]}>
                  <Input
                    aria-label={t('devices.speaker.from')}
                    style={{ width: 80 }}
                    maxLength={5}
                  />
                </Form.Item>
                –
                <Form.Item name={['night', 'to']} noStyle rules={[{ pattern: HHMM }]}>
                  <Input aria-label={t('devices.speaker.to')} style={{ width: 80 }} maxLength={5} />
                </Form.Item>
              </Space>
            </Form.Item>
          </Space>
          <Button type="primary" htmlType="submit" loading={save.isPending}>
            {t('devices.speaker.save')}
          </Button>
        </Form>
      </Space>
    </Card>
  );
}
