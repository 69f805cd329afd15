// The dashboard says everything in both languages: the same keys in zh-CN and English, none
// empty, a name for every role, channel and screen kind the hub sends, and a Chinese sentence
// ending in a full stop for each refusal the owner may meet.
import { describe, expect, it } from 'vitest';
import {
  MessageKindSchema,
  PLATFORM_NOTICE_KINDS,
  RevenueChannelSchema,
  ScreenKindSchema,
  StaffRoleSchema,
  BookingStatusSchema,
  ScheduledDeviceSchema,
  AcModeSchema,
  AcFanSchema,
} from '@roomhub/shared-types';
import zh from '../locales/zh-CN/owner.json';
import en from '../locales/en-US/owner.json';

const keysOf = (o: unknown, prefix = ''): string[] =>
  typeof o === 'object' && o !== null
    ? Object.entries(o).flatMap(([k, v]) => keysOf(v, prefix ? `${prefix}.${k}` : k))
    : [prefix];

describe('the owner’s words', () => {
  it('has every key in both languages, none empty', () => {
    expect(keysOf(en).sort()).toEqual(keysOf(zh).sort());
    for (const lang of [zh, en])
      for (const key of keysOf(lang)) {
        const v = key.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown>)[k], lang);
        expect(String(v).trim(), key).not.toBe('');
      }
  });

  it('names every role, payment channel, screen kind and booking status', () => {
    for (const r of StaffRoleSchema.options) expect(zh.roles[r]).toBeTruthy();
    for (const c of RevenueChannelSchema.options) expect(zh.channels[c]).toBeTruthy();
    for (const k of ScreenKindSchema.options) expect(zh.screens.kinds[k]).toBeTruthy();
    for (const s of BookingStatusSchema.options) expect(zh.stats.bookingStatus[s]).toBeTruthy();
  });

  it('names every message kind the owner can switch off, in both languages', () => {
    const switchable = MessageKindSchema.options.filter((k) => !PLATFORM_NOTICE_KINDS.includes(k));
    for (const lang of [zh, en]) {
      const names: Record<string, string> = lang.remote.messages.kinds;
      for (const k of switchable) expect(names[k], k).toBeTruthy();
    }
  });

  it('names every device, weekday, AC mode and fan speed a schedule may have, in both languages', () => {
    for (const lang of [zh, en]) {
      const s = lang.devices.schedules;
      for (const d of ScheduledDeviceSchema.options) expect(s.devices[d], d).toBeTruthy();
      for (const w of ['1', '2', '3', '4', '5', '6', '7'] as const)
        expect(s.weekdays[w], w).toBeTruthy();
      for (const m of AcModeSchema.options) expect(s.modes[m], m).toBeTruthy();
      for (const f of AcFanSchema.options) expect(s.fans[f], f).toBeTruthy();
    }
  });

  it('says a change from afar waits for the offline store, or the store’s reason', () => {
    for (const lang of [zh, en]) {
      expect(lang.devices.schedules.waiting).toBeTruthy();
      expect(lang.errors.rejected).toContain('{{reason}}');
      expect(lang.errors.expired).toBeTruthy();
    }
  });

  it('says each refusal in one Chinese sentence', () => {
    for (const [code, text] of Object.entries(zh.errors)) expect(text, code).toMatch(/。$/);
  });
});
