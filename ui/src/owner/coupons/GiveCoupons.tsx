// A campaign's coupon given by hand (O7): the owner types or pastes the customers' phone numbers
// (one a line, or separated by commas or spaces), with a note of why (a goodwill gesture, a prize),
// and the store gives one coupon to each by the campaign's own limits: to all of them or, one
// refused, to none. A number typed wrong is named before anything is sent; a customer who already
// has as many as one may have is named in the store's answer, to be taken off the list.
import { useState } from 'react';
import { useMutation } from '@tanstack/react-query';
import { Alert, Form, Input, Modal } from 'antd';
import { useTranslation } from 'react-i18next';
import { MobileSchema, type CouponIssue } from '@roomhub/shared-types';
import { HubRefusal } from '../../api/hub-client';
import { ownerRefusal } from '../refusal-text';

/** At most this many numbers in one go (the store's limit). */
const MAX_PHONES = 200;

/** The numbers in what was typed, each once, in the order typed; and those that are not numbers. */
export function phonesIn(text: string): { phones: string[]; wrong: string[] } {
  const parts = text.split(/[\s,，;；、]+/).filter((p) => p !== '');
  const phones: string[] = [];
  const wrong: string[] = [];
  for (const p of parts) {
    if (!MobileSchema.safeParse(p).success) wrong.push(p);
    else if (!phones.includes(p)) phones.push(p);
  }
  return { phones, wrong };
}

interface GiveForm {
  phones: string;
  note?: string;
}

export function GiveCoupons({
  campaign,
  give,
  onClose,
}: {
  /** The campaign's name and its coupon's, as the owner knows them. */
  campaign: { name: string; couponName: string };
  /** Gives the coupons (at the store, or as a change sent from afar, which tells how it went). */
  give: (body: CouponIssue) => Promise<void>;
  onClose: () => void;
}) {
  const { t } = useTranslation('owner');
  const [form] = Form.useForm<GiveForm>();
  const typed = Form.useWatch('phones', form) ?? '';
  const { phones, wrong } = phonesIn(typed);
  const [refusal, setRefusal] = useState<string | null>(null);
  const send = useMutation({
    mutationFn: (v: GiveForm) => {
      const note = v.note?.trim();
      return give({ phones: phonesIn(v.phones).phones, ...(note ? { note } : {}) });
    },
    onSuccess: onClose,
    onError: (e) => {
      // The store names the number by its place in the list: say which one.
      const at = e instanceof HubRefusal ? /^phones\.(\d+)$/.exec(e.field ?? '') : null;
      const phone = at ? phones[Number(at[1])] : undefined;
      setRefusal(
        e instanceof HubRefusal && e.code === 'phone_has_coupon' && phone
          ? t('coupons.give.hasCoupon', { phone })
          : ownerRefusal(t, e),
      );
    },
  });
  return (
    <Modal
      open
      title={t('coupons.give.title', { name: campaign.couponName })}
      okText={t('coupons.give.ok', { n: phones.length })}
      cancelText={t('common.cancel')}
      okButtonProps={{
        disabled: phones.length === 0 || phones.length > MAX_PHONES || wrong.length > 0,
      }}
      confirmLoading={send.isPending}
      onCancel={onClose}
      onOk={() =>
        void form.validateFields().then((v) => {
          setRefusal(null);
          send.mutate(v);
        })
      }
    >
      <p className="muted">{t('coupons.give.help', { campaign: campaign.name })}</p>
      <Form<GiveForm> form={form} layout="vertical">
        <Form.Item
          name="phones"
          label={t('coupons.give.phones')}
          extra={
            wrong.length === 0
              ? t('coupons.give.count', { n: phones.length, max: MAX_PHONES })
              : undefined
          }
          validateStatus={wrong.length > 0 || phones.length > MAX_PHONES ? 'error' : undefined}
          help={
            wrong.length > 0
              ? t('coupons.give.wrong', { numbers: wrong.slice(0, 5).join('、') })
              : phones.length > MAX_PHONES
                ? t('coupons.give.tooMany', { max: MAX_PHONES })
                : undefined
          }
          rules={[{ required: true, message: t('coupons.give.phonesNeeded') }]}
        >
          <Input.TextArea
            rows={5}
            placeholder={t('coupons.give.placeholder')}
            aria-label={t('coupons.give.phones')}
          />
        </Form.Item>
        <Form.Item name="note" label={t('coupons.give.note')}>
          <Input maxLength={200} placeholder={t('coupons.give.notePlaceholder')} />
        </Form.Item>
      </Form>
      {refusal && <Alert type="error" showIcon title={refusal} />}
    </Modal>
  );
}
