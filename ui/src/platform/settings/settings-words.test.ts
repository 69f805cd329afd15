// The settings screen says everything in both languages: the same keys in zh-CN and English, none
// empty, a name for every section and field the cloud's settings hold.
import { describe, expect, it } from 'vitest';
import { DEFAULT_PLATFORM_SETTINGS } from '@roomhub/shared-types';
import zh from '../../locales/zh-CN/platform-settings.json';
import en from '../../locales/en-US/platform-settings.json';

/** Each key path with its value (keys may hold dots, as the audit's actions do). */
const entriesOf = (o: unknown, prefix = ''): [string, unknown][] =>
  typeof o === 'object' && o !== null
    ? Object.entries(o).flatMap(([k, v]) => entriesOf(v, prefix ? `${prefix}/${k}` : k))
    : [[prefix, o]];

describe('the settings screen’s words', () => {
  it('has every key in both languages, none empty', () => {
    const keys = (o: unknown) => entriesOf(o).map(([k]) => k);
    expect(keys(en).sort()).toEqual(keys(zh).sort());
    for (const lang of [zh, en])
      for (const [key, v] of entriesOf(lang)) expect(String(v).trim(), key).not.toBe('');
  });

  it('names every section and field of the settings', () => {
    for (const [section, fields] of Object.entries(DEFAULT_PLATFORM_SETTINGS)) {
      expect(zh.sections[section as keyof typeof zh.sections], section).toBeTruthy();
      for (const field of Object.keys(fields)) {
        const names = zh.fields[section as keyof typeof zh.fields] as Record<string, string>;
        expect(names[field], `${section}.${field}`).toBeTruthy();
      }
    }
  });
});
