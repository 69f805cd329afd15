import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { officialDayType } from '../calendar/day-type';
import { instantAt, localDateOf, localMinuteOfDay, MINUTE } from '../time/instant';
import { checkUse, EntitlementSchema, voucherCovers, type UseAt } from './deal-rules';

const TZ = 'Asia/Shanghai';
const hhmm = (m: number) =>
  `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;

const use = (start: number, over: Partial<UseAt> = {}): UseAt => ({
  start,
  end: start + 3 * 60 * MINUTE,
  timeZone: TZ,
  dayTypeOf: officialDayType,
  room: { id: 'r1', style: '棋牌室' },
  partySize: 2,
  packageId: null,
  ...over,
});

describe('what a voucher buys', () => {
  it('is usable exactly when the start falls in one of its bands, on one of its day types', () => {
    // Any instant of 2026-2027; bands on the quarter hour, some past midnight.
    const instant = fc.integer({
      min: Date.parse('2026-01-01T00:00:00+08:00'),
      max: Date.parse('2027-12-31T00:00:00+08:00'),
    });
    const quarter = fc.integer({ min: 0, max: 95 }).map((q) => q * 15);
    const band = fc
      .tuple(quarter, quarter)
      .filter(([a, b]) => a !== b)
      .map(([a, b]) => ({ from: hhmm(a), to: hhmm(b) }));
    const dayTypes = fc.subarray(['workday', 'weekend', 'holiday'] as const);
    fc.assert(
      fc.property(instant, fc.array(band, { maxLength: 3 }), dayTypes, (start, bands, types) => {
        const e = EntitlementSchema.parse({ kind: 'hours', minutes: 180, bands, dayTypes: types });
        const m = localMinuteOfDay(start, TZ);
        // The model: which band holds the start, and whose evening it belongs to.
        let date = localDateOf(start, TZ);
        let inside = bands.length === 0;
        for (const b of bands) {
          const [f, t] = [b.from, b.to].map((x) => Number(x.slice(0, 2)) * 60 + Number(x.slice(3)));
          if (f! < t! ? m >= f! && m < t! : m >= f! || m < t!) {
            if (!inside && f! > t! && m < t!) {
              date = localDateOf(start - 24 * 60 * MINUTE, TZ);
            }
            inside = true;
            break;
          }
        }
        const dayOk = types.length === 0 || types.includes(officialDayType(date));
        const refusal = checkUse(e, use(start));
        expect(refusal === null).toBe(inside && dayOk);
        if (!inside) expect(['voucher_not_yet', 'voucher_outside_hours']).toContain(refusal!.code);
        else if (!dayOk) expect(refusal!.code).toBe('voucher_wrong_day');
      }),
      { numRuns: 500 },
    );
  });

  it('counts an overnight band after midnight as the evening it began (Friday night is a workday)', () => {
    const e = EntitlementSchema.parse({
      kind: 'hours',
      minutes: 480,
      dayTypes: ['workday'],
      bands: [{ from: '22:00', to: '06:00' }],
    });
    // Saturday 2026-11-28 02:00 belongs to Friday 27's night: good.
    expect(checkUse(e, use(instantAt('2026-11-28', 120, TZ)))).toBeNull();
    // Sunday 02:00 belongs to Saturday night: not a workday.
    expect(checkUse(e, use(instantAt('2026-11-29', 120, TZ)))?.code).toBe('voucher_wrong_day');
    // Friday 20:00: the band opens at 22:00 tonight.
    expect(checkUse(e, use(instantAt('2026-11-27', 20 * 60, TZ)))).toMatchObject({
      code: 'voucher_not_yet',
      params: { opensAt: '22:00' },
    });
  });

  it('keeps to its rooms, party size and package', () => {
    const e = EntitlementSchema.parse({
      kind: 'session',
      minutes: 540,
      packageId: 'overnight',
      roomStyles: ['棋牌室'],
      maxPartySize: 4,
    });
    const t = instantAt('2026-11-23', 23 * 60, TZ);
    expect(checkUse(e, use(t, { packageId: 'overnight' }))).toBeNull();
    expect(checkUse(e, use(t, { packageId: 'evening' }))?.code).toBe('voucher_wrong_package');
    expect(
      checkUse(e, use(t, { packageId: 'overnight', room: { id: 'x', style: '茶室' } }))?.code,
    ).toBe('voucher_wrong_room');
    expect(checkUse(e, use(t, { packageId: 'overnight', partySize: 5 }))?.code).toBe(
      'voucher_party_too_big',
    );
  });

  it('pays at most the booking, all of it when it buys at least as long, its share otherwise', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 30, max: 1440 }),
        fc.integer({ min: 15, max: 1440 }),
        fc.integer({ min: 0, max: 1_000_000 }),
        (voucherMinutes, bookingMinutes, total) => {
          const e = EntitlementSchema.parse({ kind: 'hours', minutes: voucherMinutes });
          const covers = voucherCovers(e, { total, start: 0, end: bookingMinutes * MINUTE });
          expect(covers).toBeGreaterThanOrEqual(0);
          expect(covers).toBeLessThanOrEqual(total);
          if (voucherMinutes >= bookingMinutes) expect(covers).toBe(total);
          else
            expect(
              Math.abs(covers - (total * voucherMinutes) / bookingMinutes),
            ).toBeLessThanOrEqual(0.5);
        },
      ),
    );
  });
});
