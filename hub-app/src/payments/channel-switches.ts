// The owner's switches for the ways to pay at the kiosk and at the counter (O11): a way to pay the
// owner switched off is not listed there and is refused there in words. The only writer of
// `payment_channel_switches`; it never touches a channel's credentials (those stay in the
// HUB_PAYMENTS file) and never decides what a surface offers at all (shared-types' channel-offer).
// A member's wallet is money the store owes its members, so it is never switched off.
import {
  DomainError,
  formatInstant,
  offeredChoices,
  type Actor,
  type Clock,
  type PayChoice,
  type PaySurface,
} from '@roomhub/shared-types';
import type { AuditLog } from '../audit/audit-log';
import type { Db } from '../db/database';

/** Where the store decides which ways to pay are offered; the customer's pages are the cloud's. */
export type SwitchSurface = 'kiosk' | 'counter';
export const SWITCH_SURFACES: readonly SwitchSurface[] = ['kiosk', 'counter'];

/** The ways to pay the owner may switch off on a surface: all it offers but the wallet. */
export const switchable = (surface: SwitchSurface): PayChoice[] =>
  offeredChoices(surface).filter((c) => c !== 'wallet');

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

  /** Refuses a way to pay the owner switched off on `surface`, naming `method`. */
  assertOn(surface: PaySurface, choice: string): void {
    if (surface !== 'kiosk' && surface !== 'counter') return;
    if (this.isOn(surface, choice)) return;
    const others = offeredChoices(surface).filter((c) => c !== choice && this.isOn(surface, c));
    throw new DomainError(
      'invalid',
      'method_switched_off',
      `${choice} is switched off ${WHERE[surface]} by the store: choose one of ${others.join(', ')}`,
      'method',
    ).with({ method: choice, offered: others.join('、') });
  }

  /** Switches a way to pay on or off; call inside a write, so the change and its audit land together. */
  set(surface: SwitchSurface, choice: string, on: boolean, actor: Actor): ChannelSwitch {
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
    return this.list().find((s) => s.surface === surface && s.choice === choice)!;
  }
}
