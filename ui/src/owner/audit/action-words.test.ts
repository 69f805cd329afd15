// The audit log's actions in words: both languages word the same actions, and an action the
// screens do not know yet is shown as the hub named it rather than as nothing.
import { describe, expect, it } from 'vitest';
import zhWords from '../../locales/zh-CN/audit-actions.json';
import enWords from '../../locales/en-US/audit-actions.json';
import { actionWords } from './action-words';

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
