// The system settings (系统设置, P5), the platform owner's alone: payment, SMS, upload limits and
// the anomaly thresholds, read from the cloud and changed as a whole with the reason (the cloud
// audits it); each field is checked against the cloud's own limits as it is typed, and a refusal
// the cloud names a field of is shown at that field. Below, the download of a cloud backup (the
// cloud audits it too) and the history of changes with each value before and after.
import { useEffect, useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Checkbox,
  Col,
  Form,
  Input,
  InputNumber,
  Modal,
  Row,
  Space,
  Switch,
  Table,
  Typography,
} from 'antd';
import type { Rule } from 'antd/es/form';
import { useTranslation } from 'react-i18next';
import {
  MERCHANT_DOCUMENT_CAP_MB,
  type PlatformSettings,
  type SettingsHistoryEntry,
} from '@roomhub/shared-types';
import { PlatformRefusal, platform } from '../platform-client';
import { settingsApi } from './settings-client';
import { NS } from './settings-words';

type Section = keyof PlatformSettings;
type FieldSpec =
  | { kind: 'switch' }
  | { kind: 'types' }
  | { kind: 'number'; min: number; max?: number; step?: number };

/** The fields of each section as the cloud's schema limits them (PlatformSettingsSchema). */
const FIELDS: { [S in Section]: { [F in keyof PlatformSettings[S]]: FieldSpec } } = {
  payment: {
    wechat: { kind: 'switch' },
    alipay: { kind: 'switch' },
    unionpay: { kind: 'switch' },
    holdMinutes: { kind: 'number', min: 1, max: 60 },
  },
  sms: {
    perPhonePerHour: { kind: 'number', min: 1, max: 20 },
    marketing: { kind: 'switch' },
  },
  uploads: {
    maxImageMb: { kind: 'number', min: 1, max: MERCHANT_DOCUMENT_CAP_MB },
    maxDocumentMb: { kind: 'number', min: 1, max: MERCHANT_DOCUMENT_CAP_MB },
    types: { kind: 'types' },
  },
  anomalies: {
    paymentGraceMinutes: { kind: 'number', min: 1, max: 1440 },
    refundsInWindow: { kind: 'number', min: 2, max: 100 },
    refundWindowDays: { kind: 'number', min: 1, max: 90 },
    spikeMinPerHour: { kind: 'number', min: 2, max: 10_000 },
    spikeTimesAverage: { kind: 'number', min: 1, max: 100, step: 0.5 },
    offlineMinutes: { kind: 'number', min: 5 },
  },
};
const SECTIONS = Object.keys(FIELDS) as Section[];
const TYPES = ['jpg', 'png', 'webp', 'pdf'] as const;

const when = (at: string) =>
  new Date(at).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false });

export function SettingsPage() {
  const { t } = useTranslation(NS);
  const { message } = App.useApp();
  const client = useQueryClient();
  const [form] = Form.useForm<PlatformSettings>();
  const [asking, setAsking] = useState(false);
  const [reason, setReason] = useState('');
  const [saving, setSaving] = useState(false);
  const [downloading, setDownloading] = useState(false);
  const me = useQuery({ queryKey: ['platform', 'me'], queryFn: platform.me });
  const current = useQuery({ queryKey: ['platform', 'settings'], queryFn: settingsApi.get });
  const history = useQuery({
    queryKey: ['platform', 'settings', 'history'],
    queryFn: settingsApi.history,
  });
  useEffect(() => {
    if (current.data) form.setFieldsValue(current.data.settings);
  }, [current.data, form]);

  const rules = (section: Section, field: string, spec: FieldSpec): Rule[] => {
    if (spec.kind === 'switch') return [];
    if (spec.kind === 'types') {
      return [{ type: 'array', min: 1, required: true, message: t('rules.types') }];
    }
    return [
      { required: true, message: t('rules.required') },
      {
        validator: (_, v: number | null) =>
          v === null ||
          v === undefined ||
          (v >= spec.min && (spec.max === undefined || v <= spec.max))
            ? Promise.resolve()
            : Promise.reject(
                new Error(
                  spec.max === undefined
                    ? t('rules.min', { min: spec.min })
                    : t('rules.range', { min: spec.min, max: spec.max }),
                ),
              ),
      },
      ...(section === 'anomalies' && field === 'spikeTimesAverage'
        ? []
        : [{ type: 'integer' as const, message: t('rules.required') }]),
    ];
  };

  const askReason = async () => {
    try {
      await form.validateFields();
    } catch {
      return;
    }
    const now = form.getFieldsValue(true) as PlatformSettings;
    const was = current.data?.settings;
    const moved = SECTIONS.some((section) =>
      Object.keys(FIELDS[section]).some(
        (f) =>
          JSON.stringify((now[section] as Record<string, unknown>)[f]) !==
          JSON.stringify(was && (was[section] as Record<string, unknown>)[f]),
      ),
    );
    if (!moved) {
      void message.info(t('unchanged'));
      return;
    }
    setAsking(true);
  };

  const save = async () => {
    setSaving(true);
    try {
      const settings = form.getFieldsValue(true) as PlatformSettings;
      await settingsApi.put(settings, reason.trim());
      setAsking(false);
      setReason('');
      void message.success(t('saved'));
      form.resetFields();
      await client.invalidateQueries({ queryKey: ['platform', 'settings'] });
    } catch (e) {
      if (e instanceof PlatformRefusal && e.code === 'settings_changed') {
        setAsking(false);
        void message.warning(t('changedMeanwhile'));
        await client.invalidateQueries({ queryKey: ['platform', 'settings'] });
      } else if (e instanceof PlatformRefusal && e.field?.startsWith('settings.')) {
        // The cloud named the field: show its sentence there.
        setAsking(false);
        const [section, field] = e.field.split('.').slice(1) as [Section, string];
        form.setFields([{ name: [section, field] as never, errors: [e.message] }]);
        void message.error(e.message);
      } else {
        void message.error(e instanceof Error ? e.message : String(e));
      }
    } finally {
      setSaving(false);
    }
  };

  const downloadBackup = async () => {
    setDownloading(true);
    try {
      const { name, blob } = await settingsApi.backup();
      const url = URL.createObjectURL(blob);
      const link = document.createElement('a');
      link.href = url;
      link.download = name;
      document.body.append(link);
      link.click();
      link.remove();
      // Kept a while: the browser reads the file from the address after the click.
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
      void message.success(t('backup.downloaded', { name }));
    } catch (e) {
      void message.error(e instanceof Error ? e.message : String(e));
    } finally {
      setDownloading(false);
    }
  };

  const shown = (v: unknown) =>
    typeof v === 'boolean' ? t(v ? 'on' : 'off') : Array.isArray(v) ? v.join('、') : String(v);

  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }}>
      <Typography.Title level={3} style={{ margin: 0 }}>
        {t('title')}
      </Typography.Title>
      <Alert
        type="info"
        showIcon
        data-testid="settings-state"
        message={t('intro')}
        description={
          current.data &&
          (current.data.updatedAt
            ? t('updated', { by: current.data.updatedBy, at: when(current.data.updatedAt) })
            : t('defaults'))
        }
      />
      {current.isError && (
        <Alert
          type="error"
          showIcon
          message={(current.error as Error).message}
          data-testid="settings-error"
        />
      )}
      <Form form={form} layout="vertical" data-testid="settings-form" disabled={!current.data}>
        <Row gutter={[16, 16]}>
          {SECTIONS.map((section) => (
            <Col key={section} xs={24} lg={12}>
              <Card
                size="small"
                title={t(`sections.${section}`)}
                data-testid={`settings-${section}`}
              >
                {Object.entries(FIELDS[section] as Record<string, FieldSpec>).map(
                  ([field, spec]) => {
                    const label = t(`fields.${section}.${field}`);
                    return (
                      <Form.Item
                        key={field}
                        name={[section, field]}
                        label={label}
                        rules={rules(section, field, spec)}
                        valuePropName={spec.kind === 'switch' ? 'checked' : 'value'}
                        style={{ marginBottom: 12 }}
                      >
                        {spec.kind === 'switch' ? (
                          <Switch aria-label={label} />
                        ) : spec.kind === 'types' ? (
                          <Checkbox.Group
                            aria-label={label}
                            options={TYPES.map((x) => ({ value: x, label: x.toUpperCase() }))}
                          />
                        ) : (
                          <InputNumber
                            aria-label={label}
                            step={spec.step ?? 1}
                            style={{ width: 160 }}
                          />
                        )}
                      </Form.Item>
                    );
                  },
                )}
              </Card>
            </Col>
          ))}
        </Row>
      </Form>
      <Space>
        <Button
          type="primary"
          onClick={() => void askReason()}
          disabled={!current.data}
          data-testid="settings-save"
        >
          {t('save')}
        </Button>
        <Button
          onClick={() => current.data && form.setFieldsValue(current.data.settings)}
          disabled={!current.data}
        >
          {t('reset')}
        </Button>
      </Space>
      <Modal
        open={asking}
        title={t('reasonTitle')}
        confirmLoading={saving}
        destroyOnHidden
        okButtonProps={{ disabled: reason.trim().length < 2 }}
        onCancel={() => setAsking(false)}
        onOk={() => void save()}
      >
        <Input.TextArea
          rows={3}
          value={reason}
          maxLength={500}
          placeholder={t('reasonHint')}
          onChange={(e) => setReason(e.target.value)}
          data-testid="reason"
        />
      </Modal>
      {me.data?.actions.includes('settings.manage') && (
        <Card size="small" title={t('backup.title')} data-testid="settings-backup">
          <Space direction="vertical">
            <Typography.Text type="secondary">{t('backup.intro')}</Typography.Text>
            <Button
              onClick={() => void downloadBackup()}
              loading={downloading}
              data-testid="settings-backup-download"
            >
              {t('backup.download')}
            </Button>
          </Space>
        </Card>
      )}
      <Card size="small" title={t('history.title')}>
        <Table<SettingsHistoryEntry>
          size="small"
          rowKey={(e) => `${e.at}-${e.action}`}
          data-testid="settings-history"
          loading={history.isLoading}
          pagination={{ pageSize: 10 }}
          locale={{ emptyText: t('history.empty') }}
          dataSource={history.data?.changes ?? []}
          columns={[
            { title: t('history.at'), dataIndex: 'at', width: 170, render: when },
            { title: t('history.by'), dataIndex: 'by', width: 130 },
            {
              title: t('history.action'),
              dataIndex: 'action',
              width: 150,
              render: (a: SettingsHistoryEntry['action']) => t(`history.actions.${a}`),
            },
            {
              title: t('history.changes'),
              render: (_, e) =>
                e.lines.length === 0
                  ? '—'
                  : e.lines.map((l) => (
                      <div key={`${l.section}.${l.field}`}>
                        {t('history.line', {
                          section: t(`sections.${l.section}`),
                          field: t(`fields.${l.section}.${l.field}`, { defaultValue: l.field }),
                          before: shown(l.before),
                          after: shown(l.after),
                        })}
                      </div>
                    )),
            },
            { title: t('history.reason'), dataIndex: 'reason' },
          ]}
        />
      </Card>
    </Space>
  );
}
