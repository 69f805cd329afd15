// The penalties, the deposit and profile edits say everything in both languages: the same keys in
// zh-CN and English, none empty, every penalty kind and state and every deposit entry named, and
// every profile field the cloud notes.
import { describe, expect, it } from 'vitest';
import { DEPOSIT_ENTRY_KINDS, PENALTY_KINDS } from '@roomhub/shared-types';
import zh from '../../locales/zh-CN/platform-penalties.json';
import en from '../../locales/en-US/platform-penalties.json';

const entriesOf = (o: unknown, prefix = ''): [string, unknown][] =>
  typeof o === 'object' && o !== null
    ? Object.entries(o).flatMap(([k, v]) => entriesOf(v, prefix ? `${prefix}.${k}` : k))
    : [[prefix, o]];

describe('the penalties’ words', () => {
  it('has every key in both languages, none empty, every kind, state, entry and field named', () => {
    const keys = (o: unknown) => entriesOf(o).map(([k]) => k);
    expect(keys(en).sort()).toEqual(keys(zh).sort());
    for (const lang of [zh, en])
      for (const [key, v] of entriesOf(lang)) expect(String(v).trim(), key).not.toBe('');
    for (const lang of [zh, en]) {
      for (const k of PENALTY_KINDS) {
        expect(lang.kind[k]).toBeTruthy();
        expect(lang.kindHelp[k]).toBeTruthy();
      }
      for (const s of ['scheduled', 'active', 'ended', 'lifted'] as const) {
        expect(lang.state[s]).toBeTruthy();
      }
      for (const k of DEPOSIT_ENTRY_KINDS) expect(lang.deposit.kind[k]).toBeTruthy();
      for (const f of ['name', 'gender', 'birthday', 'avatarUrl', 'signature', 'preferences']) {
        expect(lang.edits.field[f as keyof typeof lang.edits.field]).toBeTruthy();
      }
    }
    expect(zh.kind).toEqual({
      warning: '警告',
      hidden: '限制曝光',
      no_online_booking: '暂停线上接单',
    });
    // The deposit's entries in the words the store's owner reads them in.
    expect(zh.deposit.kind).toEqual({
      paid_in: '缴纳',
      fine: '罚款',
      fine_refund: '罚款退回',
      returned: '退还',
    });
  });
});
