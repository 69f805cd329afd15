// The merchant application's words in both languages, and its refusals as one plain Chinese
// sentence: its own for the codes only these pages meet (the cloud's phone_required speaks of
// coupons), else the cloud's, which names the limit a document broke.
import { describe, expect, it } from 'vitest';
import i18next from 'i18next';
import zh from '../locales/zh-CN/merchant.json';
import en from '../locales/en-US/merchant.json';
import zhCustomer from '../locales/zh-CN/customer.json';
import { CloudRefusal } from '../api/cloud-client';
import { merchantRefusal } from './merchant-words';

const keysOf = (o: unknown, prefix = ''): string[] =>
  typeof o === 'object' && o !== null
    ? Object.entries(o).flatMap(([k, v]) => keysOf(v, prefix ? `${prefix}.${k}` : k))
    : [prefix];

const valueAt = (o: unknown, key: string): unknown =>
  key.split('.').reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], o);

describe('the merchant application’s words', () => {
  it('has every key in zh-CN and English, none empty', () => {
    expect(keysOf(en).sort()).toEqual(keysOf(zh).sort());
    for (const key of keysOf(zh)) {
      expect(String(valueAt(zh, key)).trim()).not.toBe('');
      expect(String(valueAt(en, key)).trim()).not.toBe('');
    }
  });

  it('says each refusal as one plain Chinese sentence', async () => {
    for (const [code, text] of Object.entries(zh.refusals)) {
      expect(text, code).toMatch(/^[^。]*[\u4e00-\u9fff][^。]*。$/u);
    }
    const t = await i18next.createInstance().init({
      lng: 'zh-CN',
      resources: { 'zh-CN': { merchant: zh, customer: zhCustomer } },
      interpolation: { escapeValue: false },
    });
    expect(merchantRefusal(t, new CloudRefusal(403, 'phone_required', '使用优惠券时请填写'))).toBe(
      '请先用手机号和验证码登录，再申请入驻。',
    );
    expect(
      merchantRefusal(
        t,
        new CloudRefusal(422, 'document_too_large', '文件太大了，这类材料最大 2 MB'),
      ),
    ).toBe('文件太大了，这类材料最大 2 MB。');
    expect(merchantRefusal(t, new CloudRefusal(422, 'document_type', 'in English'))).toBe(
      '没有办成，请稍后再试或联系门店。',
    );
    expect(merchantRefusal(t, new TypeError('fetch failed'))).toBe(
      '网络连不上，请检查网络后再试。',
    );
  });
});
