// The 平台账号 page says everything in both languages: the same keys in zh-CN and English, none
// empty, a name for every voucher platform, a Chinese sentence for each refusal the page may meet;
// the menu and the in-store deals page name the page by its own title.
import { describe, expect, it } from 'vitest';
import { VoucherPlatformSchema } from '@roomhub/shared-types';
import zh from '../../locales/zh-CN/owner-platforms.json';
import en from '../../locales/en-US/owner-platforms.json';
import zhOwner from '../../locales/zh-CN/owner.json';
import enOwner from '../../locales/en-US/owner.json';

const entriesOf = (o: unknown, prefix = ''): [string, unknown][] =>
  typeof o === 'object' && o !== null
    ? Object.entries(o).flatMap(([k, v]) => entriesOf(v, prefix ? `${prefix}.${k}` : k))
    : [[prefix, o]];

describe('the platform accounts page’s words', () => {
  it('has every key in both languages, none empty, and every platform named', () => {
    const keys = (o: unknown) => entriesOf(o).map(([k]) => k);
    expect(keys(en).sort()).toEqual(keys(zh).sort());
    for (const lang of [zh, en])
      for (const [key, v] of entriesOf(lang)) expect(String(v).trim(), key).not.toBe('');
    for (const p of VoucherPlatformSchema.options) {
      expect(zh.names[p]).toBeTruthy();
      expect(en.names[p]).toBeTruthy();
    }
    expect(zh.names).toEqual({ meituan: '美团', douyin: '抖音' });
  });

  it('says each refusal in one Chinese sentence', () => {
    for (const [code, text] of Object.entries(zh.errors)) expect(text, code).toMatch(/。$/);
    expect(Object.keys(en.errors).sort()).toEqual(Object.keys(zh.errors).sort());
  });

  it('is named the same in the menu and on the in-store deals page', () => {
    expect(zhOwner.remote.menu.platforms).toBe('平台账号');
    expect(enOwner.remote.menu.platforms).toBe('Platform accounts');
    expect(zhOwner.deals.platformsLead).toContain('“平台账号”');
    expect(enOwner.deals.platformsLead).toContain('Platform accounts');
    expect(zh.title).toContain('平台账号');
  });
});
