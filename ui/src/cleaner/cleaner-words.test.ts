// The cleaner's words in both languages: the same keys, none empty, a Chinese sentence for every
// refusal the page meets (naming who took a room when someone was quicker), and the events that
// refresh the page.
import { describe, expect, it } from 'vitest';
import i18next from 'i18next';
import type { HubEvent } from '@roomhub/shared-types';
import zh from '../locales/zh-CN/cleaner.json';
import en from '../locales/en-US/cleaner.json';
import { HubRefusal } from '../api/hub-client';
import { cleanerRefusal } from './refusal-text';
import { staleOnCleanerPage } from './live';
import { minutesWaited } from './task-times';

const keysOf = (o: unknown, prefix = ''): string[] =>
  typeof o === 'object' && o !== null
    ? Object.entries(o).flatMap(([k, v]) => keysOf(v, prefix ? `${prefix}.${k}` : k))
    : [prefix];

describe('the cleaner’s words', () => {
  it('has every key in both languages, none empty', () => {
    expect(keysOf(en).sort()).toEqual(keysOf(zh).sort());
    for (const text of [...keysOf(zh), ...keysOf(en)]) expect(text).not.toBe('');
  });

  it('says every refusal as one plain Chinese sentence', () => {
    for (const [code, text] of Object.entries(zh.errors)) {
      expect(text, code).toMatch(/^[^。]*[\u4e00-\u9fff][^。]*。$/u);
    }
  });

  it('names who took a room when someone was quicker, and the code of a refusal it does not know', async () => {
    const t = await i18next.createInstance().init({
      lng: 'zh-CN',
      resources: { 'zh-CN': { cleaner: zh }, 'en-US': { cleaner: en } },
      interpolation: { escapeValue: false },
    });
    const taken = new HubRefusal(409, 'cleaning_task_taken', 'someone has it');
    expect(cleanerRefusal(t, taken, '刘保洁')).toBe('刘保洁已经接了这个房间，请打扫别的房间。');
    expect(cleanerRefusal(t, taken, null)).toBe('别人已经接了这个房间，请打扫别的房间。');
    expect(cleanerRefusal(t, new HubRefusal(503, 'door_failed', 'x'))).toBe(
      '门锁没有响应，请再按一次，或联系店长。',
    );
    expect(cleanerRefusal(t, new TypeError('failed to fetch'))).toBe(zh.errors.hub_unreachable);
    expect(cleanerRefusal(t, new HubRefusal(500, 'internal', 'x'))).toContain('internal');
  });
});

describe('the cleaner’s page, live', () => {
  it('refreshes the lists and the task a cleaning event names, and nothing for other events', () => {
    const e: HubEvent = {
      type: 'cleaning.task',
      taskId: 't1',
      roomId: 'r1',
      action: 'take',
      status: 'taken',
      holderId: 's1',
      at: 0,
    };
    expect(staleOnCleanerPage(e)).toEqual([
      ['cleaning', 'tasks'],
      ['cleaning', 'task', 't1'],
    ]);
    expect(staleOnCleanerPage({ type: 'sync.status' } as HubEvent)).toEqual([]);
  });

  it('counts the minutes a room waited on the hub’s clock, never below zero', () => {
    const since = '2026-11-23T15:00:00+08:00';
    expect(minutesWaited(since, Date.parse('2026-11-23T15:12:59+08:00'))).toBe(12);
    expect(minutesWaited(since, Date.parse('2026-11-23T14:59:00+08:00'))).toBe(0);
  });
});
