// One store day's statistics as the hub publishes them to the cloud (O12): the statistics
// service's own tables for that day, with the energy per room, in the shape the cloud adds up
// over days and stores (minutes and hours rather than shares). Read only; `updatedAt` aside, the
// same day and the same records always give the same figures, so a day published again replaces
// itself and a change can be told by comparing.
import { type LocalDate, type StatsDayDoc } from '@roomhub/shared-types';
import type { EnergyService } from '../energy/energy.service';
import type { StatsService } from './stats.service';

export type StatsDayFigures = Omit<StatsDayDoc, '_id' | 'type' | 'storeId' | 'updatedAt'>;

export function statsDayFigures(
  stats: StatsService,
  energy: EnergyService,
  date: LocalDate,
): StatsDayFigures {
  const s = stats.span({ range: 'custom', from: date, to: date });
  const revenue = stats.revenue(s);
  const { rooms, heatmap } = stats.utilisation(s);
  const roomCount = Math.max(rooms.length, 1);
  const weekday = ((new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7) + 1;
  // The day's row of the heat map, back to minutes: share of this hour's room-minutes taken.
  const hourMinutes = Array.from({ length: 24 }, (_, hour) => {
    const cell = heatmap.find((c) => c.weekday === weekday && c.hour === hour);
    return round((cell?.share ?? 0) * roomCount * 60);
  });
  const refunds = stats.refunds(s);
  const members = stats.members(s)[0] ?? { joined: 0, total: 0 };
  const day = stats.revenueByDay(s)[0] ?? { received: 0, refunded: 0, net: 0 };
  return {
    date,
    timeZone: s.timeZone,
    revenue: revenue.rows,
    received: day.received,
    refunded: day.refunded,
    net: day.net,
    bookings: stats.bookings(s),
    roomCount: rooms.length,
    rooms: rooms.map((r) => ({
      roomId: r.roomId,
      roomName: clip(r.roomName),
      bookings: r.bookings,
      hours: r.hours,
    })),
    hourMinutes,
    slots: stats.slots(s).map((x) => ({
      hour: Number(x.start.slice(0, 2)),
      bookings: x.bookings,
      hours: x.hours,
    })),
    products: stats.products(s).map((p) => ({ ...p, name: clip(p.name) })),
    deals: stats.deals(s).map((d) => ({ ...d, dealTitle: clip(d.dealTitle) })),
    topUps: stats.wallet(s).topUps,
    members: { joined: members.joined, total: members.total },
    campaigns: stats.campaigns(s).map((c) => ({ ...c, name: clip(c.name) })),
    refunds: refunds.rows,
    cancellations: refunds.cancellations,
    energy: energy.days({ from: date, to: date }).rows.map((r) => ({
      roomId: r.room.id,
      roomName: clip(r.room.name),
      kwh: r.kwh,
      costFen: r.costFen,
    })),
  };
}

/** A tenth of a minute: what the heat map's four-decimal shares hold of a day's minutes. */
/** Names as the document holds them: a name longer than that would refuse the whole day. */
const clip = (name: string) => name.slice(0, 120);

function round(x: number): number {
  return Math.round(x * 10) / 10;
}
