// The audit log's actions in words: both languages word the same actions, and an action the
// screens do not know yet is shown as the hub named it rather than as nothing.
import { describe, expect, it } from 'vitest';
import zhWords from '../../locales/zh-CN/audit-actions.json';
import enWords from '../../locales/en-US/audit-actions.json';
import i18next from 'i18next';
import zhOwner from '../../locales/zh-CN/owner.json';
import enOwner from '../../locales/en-US/owner.json';
import { actionWords, actorWords } from './action-words';

describe('the audit log’s actions in words', () => {
  it('words the same actions in both languages, none empty', () => {
    expect(Object.keys(enWords).sort()).toEqual(Object.keys(zhWords).sort());
    for (const words of [...Object.values(zhWords), ...Object.values(enWords)])
      expect(words.trim()).not.toBe('');
  });

  it('words a route and a named action, in the language asked, else zh-CN, else as named', () => {
    expect(actionWords('PATCH /api/rooms/:id', 'zh-CN')).toBe('修改房间');
    expect(actionWords('PATCH /api/rooms/:id', 'en-US')).toBe('Change a room');
    expect(actionWords('staff.create', 'zh-CN')).toBe('添加员工');
    expect(actionWords('staff.create', 'fr-FR')).toBe('添加员工');
    expect(actionWords('POST /api/robots', 'zh-CN')).toBe('POST /api/robots');
  });
});

describe('who an audit entry names', () => {
  it('names staff by name, the owner from afar as remote, and the hub’s jobs by what they are', async () => {
    const i18n = i18next.createInstance();
    await i18n.init({
      lng: 'zh-CN',
      resources: { 'zh-CN': { owner: zhOwner }, 'en-US': { owner: enOwner } },
      interpolation: { escapeValue: false },
    });
    const t = i18n.t.bind(i18n) as typeof i18n.t;
    expect(actorWords(t, { kind: 'staff', id: 's-1' }, '李收银')).toBe('李收银');
    expect(actorWords(t, { kind: 'staff', id: 's-9' }, undefined)).toBe('s-9');
    expect(actorWords(t, { kind: 'staff', id: 'remote:136****0041' }, undefined)).toBe(
      '136****0041（远程）',
    );
    expect(actorWords(t, { kind: 'system', id: 'first-start' }, undefined)).toBe('系统 · 首次启动');
    expect(actorWords(t, { kind: 'system', id: 'a-new-job' }, undefined)).toBe('系统 · a-new-job');
    await i18n.changeLanguage('en-US');
    expect(actorWords(t, { kind: 'system', id: 'nightly-backup' }, undefined)).toBe(
      'System · nightly backup',
    );
  });
});
