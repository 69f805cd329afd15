// The 储值 page says everything in both languages: the same keys in zh-CN and English, none empty,
// a name for every kind of wallet movement, a Chinese sentence for each refusal it words itself,
// and the menu names the page.
import { describe, expect, it } from 'vitest';
import type { WalletMoveKind } from '@roomhub/shared-types';
import zh from '../../locales/zh-CN/wallet.json';
import en from '../../locales/en-US/wallet.json';
import zhOwner from '../../locales/zh-CN/owner.json';
import enOwner from '../../locales/en-US/owner.json';

const entriesOf = (o: unknown, prefix = ''): [string, unknown][] =>
  typeof o === 'object' && o !== null
    ? Object.entries(o).flatMap(([k, v]) => entriesOf(v, prefix ? `${prefix}.${k}` : k))
    : [[prefix, o]];

/** Every kind, checked by the compiler: a new kind fails here until it is named. */
const KINDS: Record<WalletMoveKind, true> = {
  topup: true,
  spend: true,
  refund_in: true,
  expiry: true,
  principal_refund: true,
  bonus_takeback: true,
  correction: true,
  move_out: true,
};

describe('the wallet page’s words', () => {
  it('has every key in both languages, none empty', () => {
    const keys = (o: unknown) => entriesOf(o).map(([k]) => k);
    expect(keys(en).sort()).toEqual(keys(zh).sort());
    for (const lang of [zh, en])
      for (const [key, v] of entriesOf(lang)) expect(String(v).trim(), key).not.toBe('');
  });

  it('names every kind of movement', () => {
    for (const kind of Object.keys(KINDS)) {
      expect((zh.kinds as Record<string, string>)[kind], kind).toBeTruthy();
      expect((en.kinds as Record<string, string>)[kind], kind).toBeTruthy();
    }
  });

  it('says each refusal in one Chinese sentence, and the menu names the page', () => {
    for (const [code, text] of Object.entries(zh.errors)) expect(text, code).toMatch(/。$/);
    expect(zhOwner.app.menu.wallet).toBe(zh.title);
    expect(enOwner.app.menu.wallet).toBe(en.title);
  });
});
