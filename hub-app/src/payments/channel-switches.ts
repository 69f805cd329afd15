// The owner's switches for the ways to pay at the kiosk and at the counter (O11): a way to pay the
// owner switched off is not listed there and is refused there in words. The only writer of
// `payment_channel_switches`; it never touches a channel's credentials (those stay in the
// HUB_PAYMENTS file) and never decides what a surface offers at all (shared-types' channel-offer).
// A switch covers every use of that way to pay there: a booking, an order, a voucher sold, and a
// wallet top-up (at the counter, cash or a QR of the store's channel the customer scans). A
// member's wallet is money the store owes its members, so it is never switched off. The screens
// are told of a switch after its commit (`payment.channels`), so they list the ways to pay anew.
import {
  DomainError,
  formatInstant,
  offeredChoices,
  topUpChoices,
  type Actor,
  type Clock,
  type PayChoice,
  type PaySurface,
} from '@roomhub/shared-types';
import type { AuditLog } from '../audit/audit-log';
import type { Db } from '../db/database';
import type { AfterCommit } from '../db/write-queue';
import type { EventBus } from '../events/event-bus';

/** Where the store decides which ways to pay are offered; the customer's pages are the cloud's. */
export type SwitchSurface = 'kiosk' | 'counter';
export const SWITCH_SURFACES: readonly SwitchSurface[] = ['kiosk', 'counter'];

/** What a way to pay is for there: paying what is owed, or filling a member's wallet. */
export type PayPurpose = 'pay' | 'top_up';

/** The ways to pay offered on `surface` for `purpose` (channel-offer's rule). */
const choicesFor = (surface: PaySurface, purpose: PayPurpose): readonly PayChoice[] =>
  purpose === 'top_up' ? topUpChoices(surface) : offeredChoices(surface);

/**
 * The ways to pay the owner may switch off on a surface: all it offers, for paying or for a
 * top-up, but the wallet.
 */
export const switchable = (surface: SwitchSurface): PayChoice[] => [
  ...new Set([...offeredChoices(surface), ...topUpChoices(surface)].filter((c) => c !== 'wallet')),
];

export interface ChannelSwitch {
  surface: SwitchSurface;
  choice: PayChoice;
  on: boolean;
  /** Who last switched it, and when; null: never switched (on). */
  changedBy: string | null;
  changedAt: string | null;
}

const WHERE: Record<SwitchSurface, string> = { kiosk: 'at the kiosk', counter: 'at the counter' };

interface Row {
  surface: SwitchSurface;
  choice: PayChoice;
  is_on: number;
  changed_by: string;
  changed_at: number;
}

export class ChannelSwitches {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly audit: AuditLog,
    private readonly timeZone: () => string,
    private readonly events?: EventBus,
  ) {}

  /** Every switchable way to pay on both surfaces, on unless the owner switched it off. */
  list(): ChannelSwitch[] {
    const rows = this.db
      .prepare(
        'SELECT surface, choice, is_on, changed_by, changed_at FROM payment_channel_switches',
      )
      .all() as Row[];
    const byKey = new Map(rows.map((r) => [`${r.surface} ${r.choice}`, r]));
    return SWITCH_SURFACES.flatMap((surface) =>
      switchable(surface).map((choice) => {
        const r = byKey.get(`${surface} ${choice}`);
        return {
          surface,
          choice,
          on: r ? r.is_on === 1 : true,
          changedBy: r?.changed_by ?? null,
          changedAt: r ? formatInstant(r.changed_at, this.timeZone()) : null,
        };
      }),
    );
  }

  /** Whether `choice` is on where the customer is; the cloud's surfaces are not switched here. */
  isOn(surface: PaySurface, choice: string): boolean {
    if (surface !== 'kiosk' && surface !== 'counter') return true;
    const r = this.db
      .prepare('SELECT is_on FROM payment_channel_switches WHERE surface = ? AND choice = ?')
      .get(surface, choice) as { is_on: number } | undefined;
    return r ? r.is_on === 1 : true;
  }

  /**
   * Refuses a way to pay the owner switched off on `surface`, naming `method` and the ways still
   * on there for the same purpose.
   */
  assertOn(surface: PaySurface, choice: string, purpose: PayPurpose = 'pay'): void {
    if (surface !== 'kiosk' && surface !== 'counter') return;
    if (this.isOn(surface, choice)) return;
    const others = choicesFor(surface, purpose).filter(
      (c) => c !== choice && this.isOn(surface, c),
    );
    throw new DomainError(
      'invalid',
      'method_switched_off',
      `${choice} is switched off ${WHERE[surface]} by the store: choose one of ${others.join(', ')}`,
      'method',
    ).with({ method: choice, offered: others.join('、') });
  }

  /**
   * Switches a way to pay on or off; call inside a write, so the change and its audit land
   * together, and the screens hear of it once it is committed.
   */
  set(
    surface: SwitchSurface,
    choice: string,
    on: boolean,
    actor: Actor,
    afterCommit?: AfterCommit,
  ): ChannelSwitch {
    if (!(switchable(surface) as string[]).includes(choice)) {
      throw new DomainError(
        'invalid',
        'method_not_switchable',
        `${choice} cannot be switched ${WHERE[surface]}: choose one of ${switchable(surface).join(', ')}`,
        'choice',
      ).with({ offered: switchable(surface).join('、') });
    }
    const before = this.isOn(surface, choice);
    this.db
      .prepare(
        `INSERT INTO payment_channel_switches (surface, choice, is_on, changed_by, changed_at)
         VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (surface, choice) DO UPDATE SET
           is_on = excluded.is_on, changed_by = excluded.changed_by, changed_at = excluded.changed_at`,
      )
      .run(surface, choice, on ? 1 : 0, actor.id, this.clock.now());
    this.audit.record({
      actor,
      action: 'payment_channel.switch',
      target: `${surface}:${choice}`,
      before: { on: before },
      after: { on },
    });
    const at = this.clock.now();
    afterCommit?.(() => this.events?.emit({ type: 'payment.channels', surface, choice, on, at }));
    return this.list().find((s) => s.surface === surface && s.choice === choice)!;
  }
}
