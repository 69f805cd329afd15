// What the hub may ask of a store's devices, in capabilities, never in registers. The session
// service speaks only this; the bridge turns it into Modbus frames for the configured boards.
// This module knows nothing of bookings.
import type {
  AcFan,
  AcMode,
  AcSetting,
  BusHealth,
  BusKind,
  DeviceHealth,
  DeviceKind,
  DeviceState,
  MeterReading,
  ScanEvent,
} from '@roomhub/shared-types';

// The shapes the bridge reports in are the API's: the hub passes them on unchanged.
export type {
  AcFan,
  AcMode,
  AcSetting,
  BusHealth,
  BusKind,
  DeviceHealth,
  DeviceKind,
  DeviceState,
  MeterReading,
  ScanEvent,
};

/** What one room needs right now. A shared device is on when any of its rooms needs it. */
export interface RoomNeeds {
  lights: boolean;
  sockets: boolean;
  freshAir: boolean;
  /** null: the AC is off. */
  ac: AcSetting | null;
}

export const ROOM_IDLE: RoomNeeds = { lights: false, sockets: false, freshAir: false, ac: null };

export type DevicesEvent =
  | { type: 'state'; state: DeviceState }
  | { type: 'health'; device: DeviceHealth }
  | { type: 'door'; roomId: string; closed: boolean }
  | { type: 'scan'; scan: ScanEvent };

export interface Devices {
  /** Pulses a room's lock; resolves once the board confirmed the relay, rejects if it could not. */
  openDoor(roomId: string): Promise<{ deviceId: string; confirmedAt: number }>;
  /** Declares what a room needs; every affected device is driven to the OR over its rooms. */
  setRoomNeeds(roomId: string, needs: RoomNeeds): Promise<void>;
  /** Staff override of one switchable device until cleared with null (lights, sockets, fresh air, AC power). */
  setOverride(deviceId: string, on: boolean | null): Promise<void>;
  /** Writes every device to its desired state again: at boot, after a bus fault or a relay reset. */
  reconcile(): Promise<void>;
  states(): DeviceState[];
  health(): { buses: BusHealth[]; devices: DeviceHealth[] };
  /** Rooms that have a lock configured. */
  roomsWithLock(): string[];
  /**
   * Plays a clip stored on the room's speakers (1-255) at a percentage of their loudest; resolves
   * with the speakers that confirmed playing it (none when the room has no speaker), rejects with
   * the ones that did not.
   */
  announce?(
    roomId: string,
    clip: number,
    volumePercent: number,
  ): Promise<{ deviceId: string; confirmedAt: number }[]>;
  /** Rooms that have a speaker configured. */
  roomsWithSpeaker?(): string[];
  /**
   * Puts the rooms the device file names (by id, or by another name such as the room's number)
   * through `roomOf`, before any room's needs are set; throws, naming the devices, when it names
   * a room `roomOf` does not know. `known` lists the rooms there are, for that message.
   */
  bindRooms?(roomOf: (room: string) => string | undefined, known?: string[]): void;
  subscribe(fn: (e: DevicesEvent) => void): () => void;
  close(): Promise<void>;
}
