// A campaign's terms changed once it runs (O7): when claiming ends and how many coupons there are
// in all, and at the store the owner's own name for it. Coupons already given keep theirs; the
// store refuses a total below those given out and any change to an ended campaign, naming the
// field. Only what was changed is sent, so a term changed elsewhere meanwhile is not put back.
import { useMutation } from '@tanstack/react-query';
import { App, Checkbox, Form, Input, InputNumber, Modal } from 'antd';
import { useTranslation } from 'react-i18next';
import type { RemoteCampaignPatch } from '@roomhub/shared-types';
import { ownerRefusal } from '../refusal-text';

/** A campaign's terms as the owner knows them; from afar its name and total are not published. */
export interface CampaignTerms {
  name?: string;
  couponName: string;
  claimFrom: string;
  claimTo: string;
  /** null: no limit; undefined: not known here (from afar). */
  totalLimit?: number | null;
}

interface EditForm {
  name?: string;
  claimTo: string;
  totalLimit?: number | null;
  /** From afar, where the total is not known: no limit from now on. */
  noLimit?: boolean;
}

/**
 * What the form changed. At the store a total left empty means no limit; from afar, where the
 * store's total is not published, it means unchanged, and no limit is asked for by its own box.
 */
export function changedTerms(was: CampaignTerms, v: EditForm): RemoteCampaignPatch | null {
  const patch: Partial<Record<'name' | 'claimTo' | 'totalLimit', unknown>> = {};
  const name = v.name?.trim();
  if (was.name !== undefined && name && name !== was.name) patch.name = name;
  if (v.claimTo !== was.claimTo) patch.claimTo = v.claimTo;
  const total = v.totalLimit ?? null;
  if (was.totalLimit !== undefined) {
    if (total !== was.totalLimit) patch.totalLimit = total;
  } else if (v.noLimit) patch.totalLimit = null;
  else if (total !== null) patch.totalLimit = total;
  return Object.keys(patch).length === 0 ? null : (patch as RemoteCampaignPatch);
}

export function EditCampaign({
  campaign,
  save,
  onClose,
}: {
  campaign: CampaignTerms;
  /** Sends the change (at the store, or as a change sent from afar, which tells how it went). */
  save: (patch: RemoteCampaignPatch) => Promise<void>;
  onClose: () => void;
}) {
  const { t } = useTranslation('owner');
  const { message } = App.useApp();
  const [form] = Form.useForm<EditForm>();
  const remote = campaign.totalLimit === undefined;
  const noLimit = Form.useWatch('noLimit', form) ?? false;
  const send = useMutation({
    mutationFn: async (v: EditForm) => {
      const patch = changedTerms(campaign, v);
      if (!patch) {
        void message.info(t('coupons.edit.nothingChanged'));
        return;
      }
      await save(patch);
    },
    onSuccess: onClose,
    onError: (e) => void message.error(ownerRefusal(t, e)),
  });
  const required = [{ required: true, message: t('coupons.required') }];
  return (
    <Modal
      open
      title={t('coupons.edit.title', { name: campaign.name ?? campaign.couponName })}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={send.isPending}
      onCancel={onClose}
      onOk={() => void form.validateFields().then((v) => send.mutate(v))}
    >
      <Form<EditForm>
        form={form}
        layout="vertical"
        initialValues={{
          name: campaign.name,
          claimTo: campaign.claimTo,
          totalLimit: campaign.totalLimit ?? null,
        }}
      >
        {!remote && (
          <Form.Item
            name="name"
            label={t('coupons.name')}
            rules={[{ required: true, whitespace: true, message: t('coupons.required') }]}
          >
            <Input maxLength={40} />
          </Form.Item>
        )}
        <Form.Item
          name="claimTo"
          label={t('coupons.claimTo')}
          extra={t('coupons.edit.claimFrom', { from: campaign.claimFrom })}
          rules={required}
        >
          <Input type="date" min={campaign.claimFrom} style={{ width: 160 }} />
        </Form.Item>
        <Form.Item
          name="totalLimit"
          label={t('coupons.totalLimit')}
          extra={t(remote ? 'coupons.edit.totalFromAfar' : 'coupons.noLimit')}
        >
          <InputNumber min={1} max={1000000} precision={0} disabled={noLimit} />
        </Form.Item>
        {remote && (
          <Form.Item name="noLimit" valuePropName="checked">
            <Checkbox>{t('coupons.edit.noLimitFromAfar')}</Checkbox>
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}
