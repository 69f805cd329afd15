// Live events for the board and booking screens. Emitted only after the change is committed,
// so a listener never sees a change that a crash could take back.
import { EventEmitter } from 'node:events';
import type { BookingStatus } from '@roomhub/shared-types';
import type { DeviceHealth, DeviceState, ScanEvent, ScannerStatus } from '@roomhub/firmware-bridge';
import type { SyncStatus } from '@roomhub/cloud-sync';

export type HubEvent =
  | {
      type: 'booking.status';
      bookingId: string;
      number: string;
      roomId: string;
      status: BookingStatus;
      at: number;
    }
  | { type: 'board.changed'; roomId: string; from: number; to: number; at: number }
  | { type: 'room.changed'; roomId: string; at: number }
  | { type: 'calendar.changed'; date: string; at: number }
  | {
      type: 'session.reminder';
      bookingId: string;
      roomId: string;
      minutesLeft: number;
      message: string;
      at: number;
    }
  | { type: 'door.opened'; roomId: string; bookingId: string | null; method: string; at: number }
  | { type: 'device.state'; state: DeviceState; at: number }
  | { type: 'device.health'; device: DeviceHealth; at: number }
  | { type: 'scan'; scan: ScanEvent; at: number }
  | { type: 'scanner.status'; status: ScannerStatus; at: number }
  | { type: 'sync.status'; status: SyncStatus; at: number };

export class EventBus {
  private readonly emitter = new EventEmitter();
  constructor() {
    // One listener per open event stream; a busy store has a few screens and phones.
    this.emitter.setMaxListeners(1000);
  }
  emit(event: HubEvent): void {
    this.emitter.emit('event', event);
  }
  subscribe(fn: (e: HubEvent) => void): () => void {
    this.emitter.on('event', fn);
    return () => this.emitter.off('event', fn);
  }
}
