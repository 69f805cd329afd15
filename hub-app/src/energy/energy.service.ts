// Energy per room (issue 15): keeps what the rooms' energy meters read (through EnergyReadings),
// the price per kWh the owner sets, and answers kWh and cost per room per store day and per
// session. Owns `energy_prices`; it must never write a meter or a device, and never invent
// energy: a counter that went backwards counts nothing for that step and is listed in the answer.
import {
  formatInstant,
  instantAt,
  nextLocalDate,
  type Actor,
  type Clock,
  type DeviceState,
  type EnergyDays,
  type EnergyPrice,
  type EnergyQuery,
  type EnergyReset,
  type EnergySessions,
  type LocalDate,
} from '@roomhub/shared-types';
import type { Db } from '../db/database';
import type { WriteQueue } from '../db/write-queue';
import type { EventBus } from '../events/event-bus';
import type { StoreService } from '../store/store.service';
import { logger } from '../log';
import type { EnergyReadings, MeterOfRoom } from './energy-readings';
import {
  costBetween,
  kwhOf,
  type CounterReset,
  stepsOf,
  usedBetween,
  type PricePeriod,
  type Step,
} from './energy-usage';

export interface EnergyServiceDeps {
  db: Db;
  clock: Clock;
  writes: WriteQueue;
  events: EventBus;
  store: StoreService;
  readings: EnergyReadings;
  timeZone: () => string;
}

interface MeterSteps extends MeterOfRoom {
  steps: Step[];
  resets: CounterReset[];
}

export class EnergyService {
  constructor(private readonly d: EnergyServiceDeps) {}

  /** Keeps the meters' readings as the bridge reports them. Call once. */
  register(): void {
    this.d.events.subscribe((e) => {
      if (e.type === 'device.state') this.noteReading(e.state);
    });
  }

  /** A meter's reading from the bridge: kept when it is due (energy-readings.ts says when). */
  noteReading(state: DeviceState): void {
    const m = state.meter;
    if (state.kind !== 'energy_meter' || !m) return;
    const wh = Math.round(m.energyKwh * 1000);
    if (!this.d.readings.take(state.deviceId, m.readAt, wh)) return;
    const room = state.rooms[0] ?? null;
    this.d.writes
      .run(() => this.d.readings.record(state.deviceId, room, m.readAt, wh))
      .catch((err: unknown) => {
        this.d.readings.forget(state.deviceId);
        logger().error({ err, meter: state.deviceId }, 'meter reading not kept');
      });
  }

  price(): EnergyPrice | null {
    const row = this.d.db
      .prepare('SELECT from_at, fen_per_kwh FROM energy_prices ORDER BY from_at DESC, id DESC')
      .get() as { from_at: number; fen_per_kwh: number } | undefined;
    return row
      ? { fenPerKwh: row.fen_per_kwh, since: formatInstant(row.from_at, this.d.timeZone()) }
      : null;
  }

  /** The owner's price per kWh, from now on; energy before the first price is costed at it too. */
  setPrice(fenPerKwh: number, actor: Actor): EnergyPrice {
    this.d.db
      .prepare('INSERT INTO energy_prices (from_at, fen_per_kwh, actor_id) VALUES (?, ?, ?)')
      .run(this.d.clock.now(), fenPerKwh, actor.id);
    return this.price()!;
  }

  /** kWh and cost per room with a meter, per store day of the range. */
  days(q: EnergyQuery): EnergyDays {
    const tz = this.d.timeZone();
    const { start, end, dates } = this.range(q, tz);
    const prices = this.prices();
    const meters = this.metersWithSteps(q.roomId, start, end);
    const rows: EnergyDays['rows'] = [];
    let totalWh = 0;
    let totalFen: number | null = prices.length > 0 ? 0 : null;
    for (const roomId of new Set(meters.map((m) => m.roomId))) {
      const room = this.d.store.getRoom(roomId, 'roomId');
      const own = meters.filter((m) => m.roomId === roomId);
      for (const date of dates) {
        const from = instantAt(date, 0, tz);
        const to = instantAt(nextLocalDate(date), 0, tz);
        const { wh, fen } = this.used(own, from, to, prices);
        totalWh += wh;
        if (totalFen !== null && fen !== null) totalFen += fen;
        rows.push({
          date,
          room: { id: room.id, name: room.name },
          kwh: kwhOf(wh),
          costFen: fen === null ? null : Math.round(fen),
        });
      }
    }
    return {
      from: q.from,
      to: q.to,
      price: this.price(),
      rows,
      total: { kwh: kwhOf(totalWh), costFen: totalFen === null ? null : Math.round(totalFen) },
      resets: this.resets(meters, start, end, tz),
    };
  }

  /** kWh and cost of every session that started in the range, over its booking's span. */
  sessions(q: EnergyQuery): EnergySessions {
    const tz = this.d.timeZone();
    const { start, end } = this.range(q, tz);
    const prices = this.prices();
    const spans = this.d.db
      .prepare(
        `SELECT b.id, b.number, b.room_id, b.start_at,
           MAX(b.end_at, COALESCE(s.ended_at, b.end_at)) AS end_at
         FROM bookings b JOIN sessions s ON s.booking_id = b.id
         WHERE b.start_at >= @start AND b.start_at < @end AND (@room IS NULL OR b.room_id = @room)
         ORDER BY b.start_at, b.id`,
      )
      .all({ start, end, room: q.roomId ?? null }) as {
      id: string;
      number: string;
      room_id: string;
      start_at: number;
      end_at: number;
    }[];
    const last = spans.reduce((m, s) => Math.max(m, s.end_at), end);
    const meters = this.metersWithSteps(q.roomId, start, last);
    const rows: EnergySessions['rows'] = [];
    for (const s of spans) {
      const own = meters.filter((m) => m.roomId === s.room_id);
      if (own.length === 0) continue; // a room without a meter has no energy to show
      const room = this.d.store.getRoom(s.room_id, 'roomId');
      const { wh, fen } = this.used(own, s.start_at, s.end_at, prices);
      rows.push({
        booking: { id: s.id, number: s.number },
        room: { id: room.id, name: room.name },
        start: formatInstant(s.start_at, tz),
        end: formatInstant(s.end_at, tz),
        kwh: kwhOf(wh),
        costFen: fen === null ? null : Math.round(fen),
      });
    }
    return {
      from: q.from,
      to: q.to,
      price: this.price(),
      rows,
      resets: this.resets(meters, start, last, tz),
    };
  }

  private range(q: EnergyQuery, tz: string): { start: number; end: number; dates: LocalDate[] } {
    if (q.roomId !== undefined) this.d.store.getRoom(q.roomId, 'roomId');
    const dates: LocalDate[] = [];
    for (let d: LocalDate = q.from; d <= q.to; d = nextLocalDate(d)) dates.push(d);
    return {
      start: instantAt(q.from, 0, tz),
      end: instantAt(nextLocalDate(q.to), 0, tz),
      dates,
    };
  }

  private prices(): PricePeriod[] {
    return (
      this.d.db
        .prepare('SELECT from_at, fen_per_kwh FROM energy_prices ORDER BY from_at, id')
        .all() as { from_at: number; fen_per_kwh: number }[]
    ).map((p) => ({ from: p.from_at, fenPerKwh: p.fen_per_kwh }));
  }

  private metersWithSteps(roomId: string | undefined, from: number, to: number): MeterSteps[] {
    return this.d.readings.meters(roomId).map((m) => ({
      ...m,
      ...stepsOf(this.d.readings.readings(m, from, to)),
    }));
  }

  private used(
    meters: MeterSteps[],
    from: number,
    to: number,
    prices: PricePeriod[],
  ): { wh: number; fen: number | null } {
    let wh = 0;
    let fen: number | null = prices.length > 0 ? 0 : null;
    for (const m of meters) {
      wh += usedBetween(m.steps, from, to);
      const c = costBetween(m.steps, from, to, prices);
      if (fen !== null && c !== null) fen += c;
    }
    return { wh, fen };
  }

  /** The steps back of the meters' counters within [from, to]. */
  private resets(meters: MeterSteps[], from: number, to: number, tz: string): EnergyReset[] {
    const out: EnergyReset[] = [];
    for (const m of meters) {
      for (const r of m.resets) {
        if (r.at < from || r.at > to) continue;
        out.push({
          meterId: m.meterId,
          roomId: m.roomId,
          at: formatInstant(r.at, tz),
          fromKwh: kwhOf(r.fromWh),
          toKwh: kwhOf(r.toWh),
        });
      }
    }
    return out;
  }
}
