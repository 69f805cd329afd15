// Member levels and the points rules (C11, O6): what earns a level (spend, visits, points or one
// top-up), each level's threshold and what it gives (room and item discounts, extra booking days,
// birthday points), points earned per yuan, what a point is worth and when points expire. A level
// members hold keeps its id, so they keep it; the hub refuses removing one still held, in words.
import { useCallback, useEffect } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Form, Input, InputNumber, Select, Space, Table } from 'antd';
import { useTranslation } from 'react-i18next';
import type {
  LevelRule,
  MemberLevelInput,
  MemberRules,
  MemberSettingsPut,
  MemberSettingsView,
} from '@roomhub/shared-types';
import { ownerPages } from '../../api/owner-client';
import { ownerRefusal } from '../refusal-text';

const RULES: LevelRule[] = ['spend', 'visits', 'points', 'top_up'];
/** Thresholds in money (yuan on the page, fen to the hub) for these rules; counts for the rest. */
const inMoney = (rule: LevelRule) => rule === 'spend' || rule === 'top_up';

interface LevelRow {
  id?: string;
  name: string;
  threshold: number;
  roomPercentOff: number;
  itemPercentOff: number;
  extraBookingDays: number;
  birthdayPoints: number;
  members?: number;
}

interface LevelsForm {
  rules: {
    levelRule: LevelRule;
    pointsPerYuan: number;
    pointPrice: number;
    expires: number | null;
  };
  levels: LevelRow[];
}

/**
 * `remote`, from afar: the settings the store published (null: not yet) and the change sent as an
 * owner intent, levels and rules together (which tells how it went); at the store, the hub is read
 * and asked.
 */
export function LevelsCard({
  remote,
}: {
  remote?: {
    queryKey: readonly unknown[];
    read: () => Promise<MemberSettingsView | null>;
    save: (body: MemberSettingsPut) => Promise<void>;
  };
}) {
  const { t } = useTranslation('owner');
  const { message } = App.useApp();
  const client = useQueryClient();
  const [form] = Form.useForm<LevelsForm>();
  const settings = useQuery<MemberSettingsView | null>({
    queryKey: remote?.queryKey ?? ['owner-member-levels'],
    queryFn: remote ? remote.read : ownerPages.memberLevels,
  });
  const rule = Form.useWatch(['rules', 'levelRule'], form) ?? 'spend';
  /** The form as the hub holds the levels and rules. */
  const fill = useCallback(
    (s: MemberSettingsView | null | undefined) => {
      if (!s) return;
      const money = inMoney(s.rules.levelRule);
      form.setFieldsValue({
        rules: {
          levelRule: s.rules.levelRule,
          pointsPerYuan: s.rules.pointsPerYuan,
          pointPrice: s.rules.fenPerPoint / 100,
          expires: s.rules.pointsExpireMonths,
        },
        levels: s.levels.map((l) => ({ ...l, threshold: money ? l.threshold / 100 : l.threshold })),
      });
    },
    [form],
  );
  useEffect(() => fill(settings.data), [settings.data, fill]);
  const save = useMutation({
    mutationFn: async (v: LevelsForm) => {
      const money = inMoney(v.rules.levelRule);
      const rules: MemberRules = {
        levelRule: v.rules.levelRule,
        pointsPerYuan: v.rules.pointsPerYuan,
        fenPerPoint: Math.round(v.rules.pointPrice * 100),
        pointsExpireMonths: v.rules.expires ?? null,
      };
      const levels: MemberLevelInput[] = (v.levels ?? []).map((l) => ({
        ...(l.id ? { id: l.id } : {}),
        name: l.name,
        threshold: money ? Math.round(l.threshold * 100) : l.threshold,
        roomPercentOff: l.roomPercentOff ?? 0,
        itemPercentOff: l.itemPercentOff ?? 0,
        extraBookingDays: l.extraBookingDays ?? 0,
        birthdayPoints: l.birthdayPoints ?? 0,
      }));
      // Both in one write: members are moved once, by the new rule against the new thresholds,
      // and a refused level (one members still hold) leaves everything as it was.
      // The levels this form started from: a level added or removed elsewhere since is not
      // undone by this save, which the store refuses instead.
      const seenLevelIds = (settings.data?.levels ?? []).map((l) => l.id);
      const body = { rules, levels, seenLevelIds };
      if (remote) await remote.save(body);
      else await ownerPages.putMemberSettings(body);
    },
    onSuccess: () => {
      if (!remote) void message.success(t('levels.saved'));
      void client.invalidateQueries({ queryKey: ['owner-member-levels'] });
      void client.invalidateQueries({ queryKey: ['member-levels'] });
      // The members' levels were worked out again: the list above shows them.
      void client.invalidateQueries({ queryKey: ['owner-members'] });
    },
    // Refused (a level members still hold, levels changed elsewhere): the form shows again what
    // the hub keeps.
    onError: (e) => {
      void message.error(ownerRefusal(t, e));
      // Read afresh: a refusal for levels changed elsewhere is mended by starting from them.
      void settings.refetch().then((r) => fill(r.data ?? settings.data));
    },
  });
  const number = (
    name: (string | number)[],
    label: string,
    props: { min?: number; max?: number; precision?: number; suffix?: string; prefix?: string },
  ) => (
    <Form.Item name={name} noStyle>
      <InputNumber aria-label={label} style={{ width: 110 }} {...props} />
    </Form.Item>
  );
  // From afar, before the store published its levels and rules: nothing to start from.
  if (remote && settings.isSuccess && settings.data === null) {
    return (
      <Card title={t('levels.title')} data-testid="member-levels">
        <p className="muted">{t('levels.notPublished')}</p>
      </Card>
    );
  }
  return (
    <Card title={t('levels.title')} data-testid="member-levels">
      <Form<LevelsForm> form={form} onFinish={(v) => save.mutate(v)} layout="vertical">
        <Space wrap align="start">
          <Form.Item name={['rules', 'levelRule']} label={t('levels.rule')}>
            <Select
              style={{ width: 180 }}
              options={RULES.map((r) => ({ value: r, label: t(`levels.rules.${r}`) }))}
            />
          </Form.Item>
          <Form.Item name={['rules', 'pointsPerYuan']} label={t('levels.pointsPerYuan')}>
            <InputNumber min={0} max={100} precision={0} />
          </Form.Item>
          <Form.Item name={['rules', 'pointPrice']} label={t('levels.pointPrice')}>
            <InputNumber min={0} max={100} precision={2} prefix="¥" />
          </Form.Item>
          <Form.Item
            name={['rules', 'expires']}
            label={t('levels.expires')}
            extra={t('levels.expiresHelp')}
          >
            <InputNumber min={1} max={120} precision={0} suffix={t('levels.months')} />
          </Form.Item>
        </Space>
        <Form.List name="levels">
          {(fields, { add, remove }) => (
            <>
              <Table
                size="small"
                pagination={false}
                rowKey="key"
                dataSource={fields}
                locale={{ emptyText: t('levels.none') }}
                columns={[
                  {
                    key: 'name',
                    title: t('levels.name'),
                    render: (_, f) => (
                      <Form.Item
                        name={[f.name, 'name']}
                        noStyle
                        rules={[{ required: true, message: t('levels.nameNeeded') }]}
                      >
                        <Input
                          aria-label={t('levels.name')}
                          maxLength={20}
                          style={{ width: 120 }}
                        />
                      </Form.Item>
                    ),
                  },
                  {
                    key: 'threshold',
                    title: t(`levels.threshold.${rule}`),
                    render: (_, f) =>
                      number([f.name, 'threshold'], t(`levels.threshold.${rule}`), {
                        min: 0,
                        precision: inMoney(rule) ? 2 : 0,
                        ...(inMoney(rule) ? { prefix: '¥' } : {}),
                      }),
                  },
                  {
                    key: 'room',
                    title: t('levels.roomPercentOff'),
                    render: (_, f) =>
                      number([f.name, 'roomPercentOff'], t('levels.roomPercentOff'), {
                        min: 0,
                        max: 100,
                        precision: 0,
                        suffix: '%',
                      }),
                  },
                  {
                    key: 'item',
                    title: t('levels.itemPercentOff'),
                    render: (_, f) =>
                      number([f.name, 'itemPercentOff'], t('levels.itemPercentOff'), {
                        min: 0,
                        max: 100,
                        precision: 0,
                        suffix: '%',
                      }),
                  },
                  {
                    key: 'days',
                    title: t('levels.extraBookingDays'),
                    render: (_, f) =>
                      number([f.name, 'extraBookingDays'], t('levels.extraBookingDays'), {
                        min: 0,
                        max: 365,
                        precision: 0,
                      }),
                  },
                  {
                    key: 'birthday',
                    title: t('levels.birthdayPoints'),
                    render: (_, f) =>
                      number([f.name, 'birthdayPoints'], t('levels.birthdayPoints'), {
                        min: 0,
                        precision: 0,
                      }),
                  },
                  {
                    key: 'members',
                    title: t('levels.members'),
                    render: (_, f) => form.getFieldValue(['levels', f.name, 'members']) ?? 0,
                  },
                  {
                    key: 'remove',
                    render: (_, f) => (
                      <Button type="link" danger onClick={() => remove(f.name)}>
                        {t('levels.remove')}
                      </Button>
                    ),
                  },
                ]}
              />
              <Space className="gap">
                <Button
                  onClick={() =>
                    add({
                      name: '',
                      threshold: 0,
                      roomPercentOff: 0,
                      itemPercentOff: 0,
                      extraBookingDays: 0,
                      birthdayPoints: 0,
                    })
                  }
                >
                  {t('levels.add')}
                </Button>
                <Button type="primary" htmlType="submit" loading={save.isPending}>
                  {t('levels.save')}
                </Button>
              </Space>
              <p className="muted">{t('levels.lead')}</p>
            </>
          )}
        </Form.List>
      </Form>
    </Card>
  );
}
