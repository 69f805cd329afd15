// A store's own words for its messages (C13), from anywhere: each kind with the words in use (the
// store's own or the default), a preview filled with sample values, edit and reset. The cloud
// checks the placeholders and lengths and says what is wrong, under the field it names; SMS keeps
// its approved template.
import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Form, Input, List, Popconfirm, Space, Tag, Typography } from 'antd';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import {
  SAMPLE_MESSAGE_PARAMS,
  messageWords,
  templatePlaceholders,
  unknownPlaceholder,
  type MessageKind,
  type MessageTemplate,
  type MessageTemplateView,
} from '@roomhub/shared-types';
import { HubRefusal } from '../../api/hub-client';
import { remoteOwner } from '../../api/owner-remote-client';
import { ownerRefusal } from '../refusal-text';

/** A refusal of the words, under the field the cloud named (title or body) when it named one. */
interface WordsRefusal {
  field: 'title' | 'body' | null;
  text: string;
}

/** The cloud's refusal of a kind's words in one sentence naming the field and the rule. */
function wordsRefusal(
  t: TFunction,
  e: unknown,
  kind: MessageKind,
  words: MessageTemplate,
): WordsRefusal {
  const field =
    e instanceof HubRefusal && (e.field === 'title' || e.field === 'body') ? e.field : null;
  if (!field) return { field, text: ownerRefusal(t, e) };
  const label = t(`remote.messages.templates.${field}Label`);
  if ((e as HubRefusal).code !== 'unknown_placeholder') {
    return { field, text: t('owner:errors.invalid_field', { field: label }) };
  }
  const allowed = templatePlaceholders(kind)
    .map((p) => `{${p}}`)
    .join(' ');
  return {
    field,
    text: t('remote.messages.templates.badPlaceholder', {
      field: label,
      placeholder: unknownPlaceholder(kind, words[field]) ?? '',
      allowed: allowed || t('remote.messages.templates.noneAllowed'),
      interpolation: { escapeValue: false },
    }),
  };
}

export function RemoteMessageTemplates({ storeId }: { storeId: string }) {
  const { t } = useTranslation('owner');
  const { message } = App.useApp();
  const client = useQueryClient();
  const key = ['remote', storeId, 'message-templates'];
  const list = useQuery({ queryKey: key, queryFn: () => remoteOwner.messageTemplates(storeId) });
  const [editing, setEditing] = useState<MessageKind | null>(null);
  const [refused, setRefused] = useState<WordsRefusal | null>(null);
  const edit = (kind: MessageKind | null) => {
    setRefused(null);
    setEditing(kind);
  };
  const done = (text: string) => {
    edit(null);
    void message.success(text);
    void client.invalidateQueries({ queryKey: key });
  };
  const save = useMutation({
    mutationFn: (v: { kind: MessageKind; words: MessageTemplate }) =>
      remoteOwner.saveMessageTemplate(storeId, v.kind, v.words),
    onSuccess: () => done(t('remote.messages.templates.saved')),
    onError: (e, v) => {
      const why = wordsRefusal(t, e, v.kind, v.words);
      setRefused(why);
      void message.error(why.text);
    },
  });
  const reset = useMutation({
    mutationFn: (kind: MessageKind) => remoteOwner.resetMessageTemplate(storeId, kind),
    onSuccess: () => done(t('remote.messages.templates.resetDone')),
    onError: (e) => void message.error(ownerRefusal(t, e)),
  });
  return (
    <Card title={t('remote.messages.templates.title')} className="gap" size="small">
      <p className="muted">{t('remote.messages.templates.hint')}</p>
      <p className="muted" data-testid="sms-approved">
        {t('remote.messages.templates.sms')}
      </p>
      {list.isError && <p>{ownerRefusal(t, list.error)}</p>}
      {list.data && (
        <List
          dataSource={list.data.templates}
          renderItem={(v) => (
            <List.Item data-testid="message-template">
              {editing === v.kind ? (
                <TemplateForm
                  view={v}
                  saving={save.isPending}
                  refused={refused}
                  onSave={(words) => save.mutate({ kind: v.kind, words })}
                  onChange={() => setRefused(null)}
                  onCancel={() => edit(null)}
                />
              ) : (
                <TemplateRow
                  view={v}
                  onEdit={() => edit(v.kind)}
                  onReset={() => reset.mutate(v.kind)}
                />
              )}
            </List.Item>
          )}
        />
      )}
    </Card>
  );
}

function TemplateRow({
  view,
  onEdit,
  onReset,
}: {
  view: MessageTemplateView;
  onEdit: () => void;
  onReset: () => void;
}) {
  const { t } = useTranslation('owner');
  const preview = messageWords(view.kind, SAMPLE_MESSAGE_PARAMS, view);
  return (
    <div style={{ width: '100%' }}>
      <Space wrap>
        <strong>{t(`remote.messages.kinds.${view.kind}`)}</strong>
        <Tag>{t(`remote.messages.templates.audience.${view.audience}`)}</Tag>
        <Tag color={view.own ? 'blue' : undefined}>
          {t(view.own ? 'remote.messages.templates.own' : 'remote.messages.templates.default')}
        </Tag>
        {view.promotional && <Tag color="orange">{t('remote.messages.templates.promotional')}</Tag>}
      </Space>
      <div>
        <Typography.Text code>{view.title}</Typography.Text> {view.body}
      </div>
      <div className="muted" data-testid="template-preview">
        {t('remote.messages.templates.preview')}: {preview.title} · {preview.body}
      </div>
      <Space>
        <Button size="small" onClick={onEdit}>
          {t('remote.messages.templates.edit')}
        </Button>
        {view.own && (
          <Popconfirm title={t('remote.messages.templates.resetConfirm')} onConfirm={onReset}>
            <Button size="small">{t('remote.messages.templates.reset')}</Button>
          </Popconfirm>
        )}
      </Space>
    </div>
  );
}

function TemplateForm({
  view,
  saving,
  refused,
  onSave,
  onChange,
  onCancel,
}: {
  view: MessageTemplateView;
  saving: boolean;
  refused: WordsRefusal | null;
  onSave: (words: MessageTemplate) => void;
  onChange: () => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation('owner');
  const [title, setTitle] = useState(view.title);
  const [body, setBody] = useState(view.body);
  const preview = messageWords(view.kind, SAMPLE_MESSAGE_PARAMS, { title, body });
  const list = view.placeholders.map((p) => `{${p}}`).join(' ');
  const refusalOf = (field: 'title' | 'body') =>
    refused?.field === field
      ? { validateStatus: 'error' as const, help: <span role="alert">{refused.text}</span> }
      : {};
  return (
    <Form layout="vertical" style={{ width: '100%' }} onFinish={() => onSave({ title, body })}>
      <strong>{t(`remote.messages.kinds.${view.kind}`)}</strong>
      <Form.Item label={t('remote.messages.templates.titleLabel')} {...refusalOf('title')}>
        <Input
          aria-label={t('remote.messages.templates.titleLabel')}
          value={title}
          maxLength={20}
          onChange={(e) => {
            setTitle(e.target.value);
            onChange();
          }}
        />
      </Form.Item>
      <Form.Item
        label={t('remote.messages.templates.bodyLabel')}
        {...refusalOf('body')}
        extra={
          list
            ? t('remote.messages.templates.placeholders', { list })
            : t('remote.messages.templates.noPlaceholders')
        }
      >
        <Input.TextArea
          aria-label={t('remote.messages.templates.bodyLabel')}
          value={body}
          maxLength={200}
          showCount
          autoSize
          onChange={(e) => {
            setBody(e.target.value);
            onChange();
          }}
        />
      </Form.Item>
      {refused && !refused.field && <p role="alert">{refused.text}</p>}
      <p className="muted">
        {t('remote.messages.templates.preview')}: {preview.title} · {preview.body}
      </p>
      <Space>
        <Button type="primary" htmlType="submit" loading={saving}>
          {t('remote.messages.templates.save')}
        </Button>
        <Button onClick={onCancel}>{t('remote.messages.templates.cancel')}</Button>
      </Space>
    </Form>
  );
}
