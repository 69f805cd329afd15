// The store's device configuration: which buses exist and which relay, register or coil drives each
// room's lock, lights, sockets, fresh air and air conditioning. Its own format, in Modbus terms
// (slave id, coil, holding register, write type): not Home Assistant's, whose names it refuses
// with this file's name for them, since an HA field of the same name can mean something else
// (`timeout` in seconds, `verify` an object). One word per idea, so no aliases.
// Owns validation and cross-checks; it must never open a port or decide what a room needs.
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { rtuFrameGapMs } from './rtu-timing';
import { VOICE_BUSY, VOICE_MAX_VOLUME, VOICE_MODULE } from './speaker-registers';

const name = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:-]*$/, 'must be letters, digits, ".", "_", ":" or "-"');
const address = z.number().int().min(0).max(0xffff);
const registerValue = z.number().int().min(0).max(0xffff);
const timeoutMs = z.number().int().min(10).max(10_000).default(300);
const retries = z.number().int().min(0).max(5).default(2);
const tcpPort = z.number().int().min(1).max(65_535);
/** Free text for whoever reads the file next (which board, where it is); the bridge ignores it. */
const note = z.string().max(500).optional();

const RtuBusSchema = z.strictObject({
  id: name,
  kind: z.literal('rtu'),
  note,
  path: z.string().min(1),
  baudRate: z.number().int().min(300).max(921_600).default(9600),
  parity: z.enum(['none', 'even', 'odd']).default('none'),
  dataBits: z.union([z.literal(7), z.literal(8)]).default(8),
  stopBits: z.union([z.literal(1), z.literal(2)]).default(1),
  timeoutMs,
  retries,
  /** Overrides the computed 3.5-character silence between frames. */
  frameGapMs: z.number().min(0).max(1000).optional(),
});

const TcpBusSchema = z.strictObject({
  id: name,
  kind: z.literal('tcp'),
  note,
  host: z.string().min(1),
  port: tcpPort.default(502),
  timeoutMs,
  retries,
});

/** A transparent RS485-to-Ethernet gateway: raw RTU frames, CRC included, over a TCP socket. */
const RtuOverTcpBusSchema = z.strictObject({
  id: name,
  kind: z.literal('rtu-over-tcp'),
  note,
  host: z.string().min(1),
  port: tcpPort,
  timeoutMs,
  retries,
  /** Silence to keep between frames; the gateway usually handles it, so 0 unless it does not. */
  frameGapMs: z.number().min(0).max(1000).optional(),
});

export const BusConfigSchema = z.discriminatedUnion('kind', [
  RtuBusSchema,
  TcpBusSchema,
  RtuOverTcpBusSchema,
]);

const common = {
  id: name,
  note,
  bus: name,
  slaveId: z.number().int().min(0).max(255),
  /** Rooms this device serves; a shared device (a corridor light) lists several. */
  rooms: z.array(z.string().min(1)).default([]),
};

const LockSchema = z.strictObject({
  ...common,
  kind: z.literal('lock'),
  /** The relay (coil) that releases the strike. */
  address,
  pulseMs: z.number().int().min(100).max(60_000).default(3000),
  /**
   * 'on-off' (the default): relay on, wait pulseMs, relay off; any Modbus relay board does it.
   * 'timed': the board times the pulse itself, so a lost link cannot leave a door open; a vendor
   * extension (Waveshare Modbus RTU Relay "flash on": function 05 at pulseBase + relay with the
   * time in 100 ms units), so the file must name the command's address in pulseBase.
   */
  pulse: z.enum(['timed', 'on-off']).default('on-off'),
  /** The board's timed-pulse command address for relay 0; required with pulse 'timed'. */
  pulseBase: address.optional(),
  /** Function 05 (Waveshare) or 06 for boards that take the pulse time in a register. */
  pulseWriteType: z.enum(['coil', 'holding']).default('coil'),
  /**
   * Read the relay back after opening, as well as checking the echo: a board that echoed a command
   * it does not have, or a pulse sent to the wrong coil, is a failed open. Off only for a board
   * that cannot read its relays back.
   */
  verify: z.boolean().default(true),
  contact: z
    .strictObject({
      address,
      input: z.enum(['discrete', 'coil']).default('discrete'),
      /** The input's value when the door is shut. */
      closedValue: z.boolean().default(true),
    })
    .optional(),
});

const switchFields = {
  ...common,
  writeType: z.enum(['coil', 'holding']),
  address,
  /** Defaults: true / 1. A coil wired normally-closed can swap on and off. */
  onValue: z.union([registerValue, z.boolean()]).optional(),
  /** Defaults: false / 0. */
  offValue: z.union([registerValue, z.boolean()]).optional(),
  /** Read back after every write and fail if the board did not take it. */
  verify: z.boolean().default(false),
};

const LightSchema = z.strictObject({ ...switchFields, kind: z.literal('light') });
const SocketSchema = z.strictObject({ ...switchFields, kind: z.literal('socket') });
const FreshAirSchema = z.strictObject({ ...switchFields, kind: z.literal('fresh_air') });

const AcModelSchema = z.strictObject({
  power: z.strictObject({ address, on: registerValue.default(1), off: registerValue.default(0) }),
  mode: z.strictObject({
    address,
    values: z.strictObject({
      cool: registerValue,
      heat: registerValue,
      fan: registerValue,
      dry: registerValue,
      auto: registerValue,
    }),
  }),
  /** Register = round(°C × scale), e.g. scale 10 for tenths of a degree. */
  setpoint: z.strictObject({ address, scale: z.number().positive().default(1) }),
  fan: z.strictObject({
    address,
    values: z.strictObject({
      auto: registerValue,
      low: registerValue,
      mid: registerValue,
      high: registerValue,
    }),
  }),
  currentTemperature: z
    .strictObject({
      address,
      scale: z.number().positive().default(1),
      input: z.enum(['holding', 'input']).default('input'),
    })
    .optional(),
});

const AcSchema = z.strictObject({
  ...common,
  kind: z.literal('ac'),
  model: AcModelSchema,
  /** Read the registers back after writing them. */
  verify: z.boolean().default(true),
});

/**
 * A DDSU666-style single-phase meter on the room's circuit, only ever read (meter-registers.ts has
 * its register map). It measures the one room it lists, or none (a meter for the whole store).
 */
const EnergyMeterSchema = z.strictObject({
  ...common,
  kind: z.literal('energy_meter'),
  model: z.literal('ddsu666').default('ddsu666'),
  /** Function 03 ('holding', as Chint's manual reads it) or 04 ('input'); the meter answers both. */
  table: z.enum(['holding', 'input']).default('holding'),
});

/**
 * A room's RS485 voice-broadcast module (speaker-registers.ts has the common register map): the
 * hub plays a clip stored on it by number, at a volume, and reads whether it is playing.
 */
const SpeakerSchema = z.strictObject({
  ...common,
  kind: z.literal('speaker'),
  registers: z
    .strictObject({
      volume: address.default(VOICE_MODULE.volume),
      play: address.default(VOICE_MODULE.play),
      status: address.default(VOICE_MODULE.status),
    })
    .default({ volume: VOICE_MODULE.volume, play: VOICE_MODULE.play, status: VOICE_MODULE.status }),
  /** The module's loudest volume step: 30 on most, 31 on some. */
  maxVolume: z.number().int().min(1).max(0xffff).default(VOICE_MAX_VOLUME),
  /** The status register's value while a clip plays. */
  busyValue: registerValue.default(VOICE_BUSY),
});

export const DeviceConfigSchema = z.discriminatedUnion('kind', [
  LockSchema,
  LightSchema,
  SocketSchema,
  FreshAirSchema,
  AcSchema,
  EnergyMeterSchema,
  SpeakerSchema,
]);

export const DevicesConfigSchema = z.strictObject({
  buses: z.array(BusConfigSchema),
  devices: z.array(DeviceConfigSchema),
});

export type BusConfig = z.output<typeof BusConfigSchema>;
export type DeviceConfig = z.output<typeof DeviceConfigSchema>;
export type LockConfig = z.output<typeof LockSchema>;
export type SwitchConfig = z.output<
  typeof LightSchema | typeof SocketSchema | typeof FreshAirSchema
>;
export type AcConfig = z.output<typeof AcSchema>;
export type EnergyMeterConfig = z.output<typeof EnergyMeterSchema>;
export type SpeakerConfig = z.output<typeof SpeakerSchema>;
export type AcModel = z.output<typeof AcModelSchema>;
export type DevicesConfig = z.output<typeof DevicesConfigSchema>;
/** What a config file may contain: defaults may be left out. */
export type DevicesConfigInput = z.input<typeof DevicesConfigSchema>;

export interface ConfigIssue {
  /** 'device "room-3-light"', 'bus "bus-1"', or '' for the file as a whole. */
  subject: string;
  /** Field path inside the subject, e.g. "model.setpoint.scale". */
  field: string;
  message: string;
}

export class DevicesConfigError extends Error {
  constructor(readonly issues: ConfigIssue[]) {
    super(issues.map(formatIssue).join('\n'));
    this.name = 'DevicesConfigError';
  }
}

function formatIssue(i: ConfigIssue): string {
  return [i.subject, i.field, i.message].filter((s) => s !== '').join(': ');
}

/** The value a switch writes for on and off, defaults applied. */
export function switchValues(d: SwitchConfig): { on: boolean | number; off: boolean | number } {
  if (d.writeType === 'coil') {
    return { on: Boolean(d.onValue ?? true), off: Boolean(d.offValue ?? false) };
  }
  return { on: Number(d.onValue ?? 1), off: Number(d.offValue ?? 0) };
}

/** The silence to keep between frames on this bus. */
export function busFrameGapMs(b: BusConfig): number {
  if (b.kind === 'tcp') return 0;
  if (b.kind === 'rtu-over-tcp') return b.frameGapMs ?? 0;
  return b.frameGapMs ?? rtuFrameGapMs(b);
}

/** Validates a parsed config file; throws DevicesConfigError naming the device (or bus) and field. */
export function parseDevicesConfig(json: unknown): DevicesConfig {
  // reportInput: tells "required" (undefined) apart from a value of the wrong type.
  const parsed = DevicesConfigSchema.safeParse(json, { reportInput: true });
  if (!parsed.success) {
    throw new DevicesConfigError(parsed.error.issues.map((i) => toIssue(i, json)));
  }
  const issues = crossCheck(parsed.data);
  if (issues.length > 0) throw new DevicesConfigError(issues);
  return parsed.data;
}

export async function loadDevicesConfig(file: string): Promise<DevicesConfig> {
  const text = await readFile(file, 'utf8');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new DevicesConfigError([
      { subject: '', field: '', message: `${file} is not valid JSON: ${(e as Error).message}` },
    ]);
  }
  return parseDevicesConfig(json);
}

/**
 * The config with every device's rooms put through `roomOf`: a device file may name a room by
 * another name the hub knows it by (its number) as well as its id. Refuses every room `roomOf`
 * does not know, naming the device and its entry in the file (`known`, the rooms there are, goes
 * in the message), then checks the result again: two names of one room are one room.
 */
export function bindRooms(
  config: DevicesConfig,
  roomOf: (room: string) => string | undefined,
  known: string[] = [],
): DevicesConfig {
  const issues: ConfigIssue[] = [];
  const there = known.length > 0 ? ` (its rooms: ${known.join(', ')})` : '';
  const devices = config.devices.map((d, i) => ({
    ...d,
    rooms: d.rooms.map((room, j) => {
      const id = roomOf(room);
      if (id === undefined) {
        issues.push({
          subject: `device "${d.id}" (devices[${i}])`,
          field: `rooms.${j}`,
          message: `no room "${room}" in this store${there}`,
        });
      }
      return id ?? room;
    }),
  }));
  if (issues.length > 0) throw new DevicesConfigError(issues);
  const bound = { ...config, devices };
  const again = crossCheck(bound);
  if (again.length > 0) throw new DevicesConfigError(again);
  return bound;
}

function toIssue(issue: z.core.$ZodIssue, json: unknown): ConfigIssue {
  const [list, index, ...rest] = issue.path;
  let subject = '';
  let fieldPath: PropertyKey[] = issue.path;
  if ((list === 'devices' || list === 'buses') && typeof index === 'number') {
    const raw = (json as Record<string, unknown[]>)[list]?.[index];
    const id = (raw as { id?: unknown } | undefined)?.id;
    const noun = list === 'devices' ? 'device' : 'bus';
    subject = typeof id === 'string' && id !== '' ? `${noun} "${id}"` : `${noun} #${index + 1}`;
    fieldPath = rest;
  }
  return { subject, field: fieldPath.map(String).join('.'), message: describe(issue) };
}

function describe(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined ? 'required' : `must be ${article(issue.expected)}`;
    case 'invalid_value': {
      const ours = typeof issue.input === 'string' ? HA_VALUES[issue.input] : undefined;
      const hint =
        ours && issue.values.includes(ours) ? ` ("${String(issue.input)}" is "${ours}" here)` : '';
      return `must be ${alternatives(issue.values)}${hint}`;
    }
    case 'invalid_union': {
      // zod names the allowed discriminator values on the issue, outside its declared type.
      const options = (issue as { options?: unknown }).options;
      return Array.isArray(options) ? `must be ${alternatives(options)}` : issue.message;
    }
    case 'unrecognized_keys':
      return `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map(unknownField).join(', ')}`;
    case 'too_small':
      return issue.origin === 'string' || issue.origin === 'array'
        ? issue.message
        : `must be at least ${String(issue.minimum)}`;
    case 'too_big':
      return issue.origin === 'string' || issue.origin === 'array'
        ? issue.message
        : `must be at most ${String(issue.maximum)}`;
    default:
      return issue.message;
  }
}

/** Home Assistant's Modbus names an installer may bring along, and this file's for them. */
const HA_FIELDS: Record<string, string> = {
  baudrate: 'baudRate',
  bytesize: 'dataBits',
  stopbits: 'stopBits',
  slave: 'slaveId',
  device_address: 'slaveId',
  write_type: 'writeType',
  command_on: 'onValue',
  command_off: 'offValue',
  timeout: 'timeoutMs',
};
const HA_VALUES: Record<string, string> = { N: 'none', E: 'even', O: 'odd' };

function unknownField(key: string): string {
  const ours = HA_FIELDS[key];
  return ours ? `"${key}" (this file calls it "${ours}")` : `"${key}"`;
}

function article(t: string): string {
  return /^[aeiou]/.test(t) ? `an ${t}` : `a ${t}`;
}

function alternatives(values: readonly unknown[]): string {
  const shown = values.map((v) => JSON.stringify(v));
  if (shown.length <= 2) return shown.join(' or ');
  return `one of ${shown.join(', ')}`;
}

/** The writable points of a device: what two devices must never share. */
function writeTargets(
  d: DeviceConfig,
): { space: 'coil' | 'register'; address: number; field: string }[] {
  switch (d.kind) {
    case 'lock': {
      const t: { space: 'coil' | 'register'; address: number; field: string }[] = [
        { space: 'coil', address: d.address, field: 'address' },
      ];
      if (d.pulse === 'timed' && d.pulseBase !== undefined) {
        t.push({
          space: d.pulseWriteType === 'coil' ? 'coil' : 'register',
          address: d.pulseBase + d.address,
          field: 'pulseBase',
        });
      }
      return t;
    }
    case 'energy_meter':
      return [];
    case 'speaker':
      return [
        { space: 'register', address: d.registers.volume, field: 'registers.volume' },
        { space: 'register', address: d.registers.play, field: 'registers.play' },
      ];
    case 'ac':
      return (['power', 'mode', 'setpoint', 'fan'] as const).map((k) => ({
        space: 'register' as const,
        address: d.model[k].address,
        field: `model.${k}.address`,
      }));
    default:
      return [
        {
          space: d.writeType === 'coil' ? 'coil' : 'register',
          address: d.address,
          field: 'address',
        },
      ];
  }
}

function crossCheck(c: DevicesConfig): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const buses = new Map<string, BusConfig>();
  for (const b of c.buses) {
    if (buses.has(b.id)) {
      issues.push({ subject: `bus "${b.id}"`, field: 'id', message: 'duplicate bus id' });
    }
    buses.set(b.id, b);
  }
  const deviceIds = new Set<string>();
  const writers = new Map<string, { id: string; field: string }>();
  const lockOfRoom = new Map<string, string>();
  for (const d of c.devices) {
    const subject = `device "${d.id}"`;
    if (deviceIds.has(d.id)) issues.push({ subject, field: 'id', message: 'duplicate device id' });
    deviceIds.add(d.id);

    const bus = buses.get(d.bus);
    if (!bus) {
      const known = [...buses.keys()].map((k) => `"${k}"`).join(', ') || 'none';
      issues.push({ subject, field: 'bus', message: `unknown bus "${d.bus}" (buses: ${known})` });
    } else if (bus.kind !== 'tcp' && (d.slaveId < 1 || d.slaveId > 247)) {
      issues.push({ subject, field: 'slaveId', message: 'must be 1 to 247 on a serial line' });
    }

    if (new Set(d.rooms).size !== d.rooms.length) {
      issues.push({ subject, field: 'rooms', message: 'lists a room twice' });
    }
    if (d.kind === 'lock' && d.pulse === 'timed' && d.pulseBase === undefined) {
      issues.push({
        subject,
        field: 'pulseBase',
        message:
          'required with pulse "timed": the address of the board\'s own timed-pulse command (a vendor extension; Waveshare\'s is 512 = 0x0200); a board without one takes pulse "on-off"',
      });
    }
    if (d.kind === 'lock') {
      for (const room of d.rooms) {
        const other = lockOfRoom.get(room);
        if (other) {
          issues.push({
            subject,
            field: 'rooms',
            message: `room "${room}" already has lock "${other}"`,
          });
        } else {
          lockOfRoom.set(room, d.id);
        }
      }
    }
    if (d.kind === 'light' || d.kind === 'socket' || d.kind === 'fresh_air') {
      issues.push(...checkSwitchValues(d, subject));
    }
    if (d.kind === 'energy_meter' && d.rooms.length > 1) {
      // Energy per room: a meter shared by rooms could not say which of them used it.
      issues.push({ subject, field: 'rooms', message: 'a meter measures one room (or none)' });
    }

    const own = new Map<string, string>();
    for (const t of writeTargets(d)) {
      const local = `${t.space}:${t.address}`;
      const sibling = own.get(local);
      if (sibling) {
        issues.push({ subject, field: t.field, message: `same ${t.space} as ${sibling}` });
        continue;
      }
      own.set(local, t.field);
      const key = `${d.bus}/${d.slaveId}/${local}`;
      const other = writers.get(key);
      if (other) {
        issues.push({
          subject,
          field: t.field,
          message: `writes ${t.space} ${t.address} on bus "${d.bus}" slave ${d.slaveId}, as device "${other.id}" does`,
        });
      } else {
        writers.set(key, { id: d.id, field: t.field });
      }
    }
  }
  return issues;
}

function checkSwitchValues(d: SwitchConfig, subject: string): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const fields = ['onValue', 'offValue'] as const;
  for (const f of fields) {
    const v = d[f];
    if (v === undefined) continue;
    if (d.writeType === 'coil' && typeof v === 'number' && v !== 0 && v !== 1) {
      issues.push({ subject, field: f, message: 'a coil is true or false (or 1 / 0)' });
    }
  }
  const { on, off } = switchValues(d);
  if (on === off) {
    issues.push({ subject, field: 'onValue', message: 'must differ from offValue' });
  }
  return issues;
}
