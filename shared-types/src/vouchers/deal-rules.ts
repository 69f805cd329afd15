// What a group-buy voucher buys in the store and when it may be used (C12, O7, S2): the same rules
// for our own deals and for a Meituan / Douyin deal mapped to the store's rooms. The hub checks a
// redemption with `checkUse` before it consumes anything; the cloud shows the same rules on the
// customer's "my vouchers". Pure: no I/O, no clock.
import { z } from 'zod';
import { DomainError } from '../errors';
import { DayTypeSchema, type DayType } from '../calendar/day-type';
import {
  localDateOf,
  localMinuteOfDay,
  MINUTE,
  minutesOfTimeOfDay,
  TimeOfDaySchema,
  type LocalDate,
} from '../time/instant';

/** Where a deal is sold: our own (the cloud or the store's kiosk), or a group-buy platform. */
export const DealSourceSchema = z.enum(['own', 'meituan', 'douyin']);
export type DealSource = z.infer<typeof DealSourceSchema>;

/** `hours`: so many hours of a room; `session`: one of the room's session packages. */
export const DealKindSchema = z.enum(['hours', 'session']);
export type DealKind = z.infer<typeof DealKindSchema>;

/** A time band a voucher may start in; `to` at or before `from` runs past midnight. */
export const UseBandSchema = z
  .object({ from: TimeOfDaySchema, to: TimeOfDaySchema })
  .refine((b) => b.from !== b.to, { message: 'a band must not start and end at the same time' });
export type UseBand = z.infer<typeof UseBandSchema>;

const slug = z.string().regex(/^[a-z0-9-]{1,40}$/, 'must be a package id');

/** What one voucher buys, copied onto the voucher when it is sold: later edits never change it. */
export const EntitlementSchema = z
  .object({
    kind: DealKindSchema,
    /** The room time it buys; for a session, the package's own length decides. */
    minutes: z.number().int().min(30, 'must be at least 30 minutes').max(1440),
    /** For a session deal: the room's session package (morning, afternoon, evening, overnight). */
    packageId: slug.nullable().default(null),
    /** The day types it is good on (workday, weekend, holiday); empty: every day. */
    dayTypes: z.array(DayTypeSchema).max(3).default([]),
    /** The bands its use must start in; empty: any time the store is open. */
    bands: z.array(UseBandSchema).max(6).default([]),
    /** The rooms it is good in; empty, and no styles given: every room. */
    roomIds: z.array(z.string().trim().min(1).max(64)).max(100).default([]),
    /** Room styles it is good in (a room's `style`, e.g. 棋牌室). */
    roomStyles: z.array(z.string().trim().min(1).max(30)).max(20).default([]),
    /** The most people it covers; null: the room's capacity. */
    maxPartySize: z.number().int().min(1).max(50).nullable().default(null),
  })
  .superRefine((e, ctx) => {
    if (e.kind === 'session' && !e.packageId) {
      ctx.addIssue({
        code: 'custom',
        path: ['packageId'],
        message: 'a session deal names the session package it buys',
      });
    }
  });
export type Entitlement = z.output<typeof EntitlementSchema>;
export type EntitlementInput = z.input<typeof EntitlementSchema>;

/** A use the hub is about to make of a voucher. */
export interface UseAt {
  start: number;
  end: number;
  timeZone: string;
  dayTypeOf: (date: LocalDate) => DayType;
  room: { id: string; style: string };
  partySize: number;
  /** The session package the booking is for, if any. */
  packageId: string | null;
}

export type UseRefusalCode =
  | 'voucher_wrong_room'
  | 'voucher_wrong_day'
  | 'voucher_not_yet'
  | 'voucher_outside_hours'
  | 'voucher_party_too_big'
  | 'voucher_wrong_package';

export interface UseRefusal {
  code: UseRefusalCode;
  message: string;
  params: Record<string, string | number>;
}

const bandText = (b: UseBand) => `${b.from}-${b.to}`;

/** Whether minute-of-day `m` falls in `band`, and whether in its after-midnight part. */
function inBand(band: UseBand, m: number): { inside: boolean; afterMidnight: boolean } {
  const from = minutesOfTimeOfDay(band.from);
  const to = minutesOfTimeOfDay(band.to);
  if (from < to) return { inside: m >= from && m < to, afterMidnight: false };
  if (m >= from) return { inside: true, afterMidnight: false };
  return { inside: m < to, afterMidnight: m < to };
}

function previousDate(date: LocalDate): LocalDate {
  const t = Date.parse(`${date}T00:00:00Z`) - 24 * 60 * MINUTE;
  return new Date(t).toISOString().slice(0, 10);
}

/**
 * Why this use is outside what the voucher buys, or null when it may be used. The day type is the
 * start's date, except in the after-midnight part of a band that opened the evening before (an
 * overnight voucher bought for a Friday night is still good at 02:00 on Saturday).
 */
export function checkUse(e: Entitlement, u: UseAt): UseRefusal | null {
  const roomNamed = e.roomIds.length > 0 || e.roomStyles.length > 0;
  if (roomNamed && !e.roomIds.includes(u.room.id) && !e.roomStyles.includes(u.room.style)) {
    return {
      code: 'voucher_wrong_room',
      message: `this voucher is not good in this room (good in: ${e.roomStyles.join(', ') || 'the rooms it names'})`,
      params: { styles: e.roomStyles.join('、') },
    };
  }
  if (e.maxPartySize !== null && u.partySize > e.maxPartySize) {
    return {
      code: 'voucher_party_too_big',
      message: `this voucher covers at most ${e.maxPartySize} people`,
      params: { max: e.maxPartySize },
    };
  }
  if (e.kind === 'session' && u.packageId !== e.packageId) {
    return {
      code: 'voucher_wrong_package',
      message: `this voucher is for the session package ${e.packageId}`,
      params: { packageId: e.packageId ?? '' },
    };
  }
  const minute = localMinuteOfDay(u.start, u.timeZone);
  let date = localDateOf(u.start, u.timeZone);
  if (e.bands.length > 0) {
    const hit = e.bands.map((b) => inBand(b, minute)).find((r) => r.inside);
    if (!hit) {
      const later = e.bands
        .map((b) => minutesOfTimeOfDay(b.from))
        .filter((from) => from > minute)
        .sort((a, b) => a - b)[0];
      const bands = e.bands.map(bandText).join(', ');
      if (later !== undefined) {
        const opensAt = `${String(Math.floor(later / 60)).padStart(2, '0')}:${String(later % 60).padStart(2, '0')}`;
        return {
          code: 'voucher_not_yet',
          message: `this voucher can be used from ${opensAt} today (good ${bands})`,
          params: { opensAt, bands },
        };
      }
      return {
        code: 'voucher_outside_hours',
        message: `this voucher is good only ${bands}`,
        params: { bands },
      };
    }
    if (hit.afterMidnight) date = previousDate(date);
  }
  if (e.dayTypes.length > 0) {
    const type = u.dayTypeOf(date);
    if (!e.dayTypes.includes(type)) {
      return {
        code: 'voucher_wrong_day',
        message: `this voucher is good on ${e.dayTypes.join(', ')} only, and ${date} is a ${type}`,
        params: { dayTypes: e.dayTypes.join(','), date, dayType: type },
      };
    }
  }
  return null;
}

/**
 * The part of a booking's total a voucher pays: all of a session package it names; for hours, the
 * hours it buys as a share of the booking's (a 3-hour voucher on a 4-hour booking pays three
 * quarters). Never more than the total: a voucher gives no change.
 */
export function voucherCovers(
  e: Entitlement,
  booking: { total: number; start: number; end: number },
): number {
  if (e.kind === 'session') return booking.total;
  const minutes = Math.max(1, Math.round((booking.end - booking.start) / MINUTE));
  if (e.minutes >= minutes) return booking.total;
  return Math.round((booking.total * e.minutes) / minutes);
}

/** Refuses selling a deal that is not ours to sell or not on sale now: the hub and the cloud alike. */
export function assertDealOnSale(deal: {
  source: DealSource;
  status: string;
  price: number;
}): void {
  if (deal.source !== 'own') {
    throw new DomainError(
      'conflict',
      'deal_not_ours',
      `this is a ${deal.source} deal: it is sold on that platform`,
      'dealId',
    ).with({ source: deal.source });
  }
  if (deal.status !== 'on_sale' || deal.price <= 0) {
    throw new DomainError('conflict', 'deal_not_on_sale', 'this deal is not on sale', 'dealId');
  }
}
