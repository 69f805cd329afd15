// A change sent from afar that the store turned down is told in the store's own words; one the
// store's older software does not know at all is told as that, not as the hub's schema message.
import { describe, expect, it } from 'vitest';
import i18next from 'i18next';
import zh from '../locales/zh-CN/owner.json';
import { HubRefusal } from '../api/hub-client';
import { ownerRefusal } from './refusal-text';

describe('the owner’s refusal words', () => {
  it('tells a store’s reason, and an older store’s hub as such', async () => {
    const t = await i18next.createInstance().init({
      lng: 'zh-CN',
      resources: { 'zh-CN': { owner: zh } },
      interpolation: { escapeValue: false },
    });
    expect(ownerRefusal(t, new HubRefusal(409, 'rejected', '这个活动已经结束'))).toContain(
      '这个活动已经结束',
    );
    const older = new HubRefusal(
      409,
      'rejected',
      "invalid intent: kind: Invalid discriminator value. Expected 'booking_request' | 'door_open'",
    );
    expect(ownerRefusal(t, older)).toBe(zh.errors.olderHub);
    expect(ownerRefusal(t, older)).not.toContain('invalid');
    // A field of a change added in a later version, which the older hub's schema does not know.
    const newField = new HubRefusal(
      409,
      'rejected',
      'invalid intent: body: Unrecognized key: "seenLevelIds"',
    );
    expect(ownerRefusal(t, newField)).toBe(zh.errors.olderHub);
  });
});
