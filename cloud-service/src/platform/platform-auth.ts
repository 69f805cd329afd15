// Who is calling the platform's console, and whether their role lets them: the guard every
// platform route goes through. Staff sign in in two steps: the phone and the code texted to it
// (as owners do) give a ticket; the ticket and a 6-digit code from an authenticator app (TOTP,
// RFC 6238, through otpauth) give a bearer token. At the first sign-in the ticket carries a new
// secret, shown as a QR code, and the first right code enrols it. A code is taken once: the last
// accepted time-step of each staff member is kept in CouchDB (`auth`, through a compare-and-set,
// so two instances cannot both accept it), and the same code, or an older one still inside the
// window, is refused (RFC 6238 section 5.2). Every call re-reads the staff
// member's document, so a role taken away or a member removed counts at once. A route names one
// action of the permission table (shared-types platform-roles.ts); the guard answers 401 or a
// 403 in words. Owns sign-in and the guard; never changes staff (platform-staff.ts does).
import { createHash, createHmac } from 'node:crypto';
import { EncryptJWT, jwtDecrypt, jwtVerify, SignJWT } from 'jose';
import { Secret, TOTP } from 'otpauth';
import type { z } from 'zod';
import {
  CLOUD_DBS,
  DomainError,
  PLATFORM_PERMISSIONS,
  PlatformSignInBodySchema,
  PlatformTotpBodySchema,
  platformMay,
  type Clock,
  type PlatformAction,
  type PlatformRole,
  type PlatformSignIn,
  type PlatformSignInStep,
  type RouteSpec,
} from '@roomhub/shared-types';
import type { SmsCodes } from '../auth/sms';
import { isConflict, type CouchDoc } from '../couch';
import type { PlatformCaller, RouteDef, RouteInput } from '../http/route';
import type { PlatformAudit } from './platform-audit';
import {
  changeStaff,
  findStaff,
  SecretBox,
  staffView,
  type PlatformStaffRecord,
} from './platform-staff';
import { platformWriter, type PlatformStore } from './platform-store';

/** A signed-in platform staff member, as a platform route's handler gets them. */
export type { PlatformCaller } from '../http/route';

const ISSUER = 'roomhub-platform';
const TICKET_TTL_S = 300;
const TOKEN_TTL_S = 12 * 3600;
/** Wrong authenticator codes allowed on one ticket before the texted code must be asked again. */
const TOTP_TRIES = 5;
/** An authenticator code's life: one time-step (RFC 6238's X). */
const TOTP_PERIOD_S = 30;
const APP_NAME = 'RoomHub Platform';

export interface PlatformAuthDeps {
  store: PlatformStore;
  smsCodes: SmsCodes;
  audit: PlatformAudit;
  /** The cloud's secret; the platform's keys are derived from it, apart from customers'. */
  secret: string;
  clock: Clock;
}

const derive = (purpose: string, secret: string) =>
  new Uint8Array(createHash('sha256').update(`${purpose}:${secret}`).digest());

export class PlatformAuth {
  private readonly tokenKey: Uint8Array;
  private readonly ticketKey: Uint8Array;
  private readonly box: SecretBox;
  private readonly stepKey: Uint8Array;
  /** Wrong codes per ticket id; a ticket lives five minutes, so this stays small. */
  private readonly misses = new Map<string, number>();

  constructor(private readonly d: PlatformAuthDeps) {
    this.tokenKey = derive('platform-token', d.secret);
    this.ticketKey = derive('platform-ticket', d.secret);
    this.box = new SecretBox(d.secret);
    this.stepKey = derive('platform-totp-step', d.secret);
  }

  /** Step one: the texted code. A phone that is not on the staff is refused like a wrong code. */
  async signIn(phone: string, code: string): Promise<PlatformSignInStep> {
    const okCode = await this.d.smsCodes.verify(phone, code);
    const staff = okCode ? await findStaff(this.d.store.read, phone) : undefined;
    if (!okCode || !staff || staff.removed) {
      throw new DomainError(
        'unauthenticated',
        okCode ? 'not_platform_staff' : 'invalid_code',
        okCode
          ? 'this phone is not on the platform staff: ask the platform owner to add you'
          : 'the code is wrong or has expired',
        okCode ? 'phone' : 'code',
      );
    }
    const tid = crypto.randomUUID();
    if (staff.totp) return { step: 'totp', ticket: await this.ticket({ phone, tid }) };
    const secret = new Secret({ size: 20 }).base32;
    return {
      step: 'enrol',
      ticket: await this.ticket({ phone, tid, enrol: secret }),
      otpauthUri: this.totp(phone, secret).toString(),
      secret,
    };
  }

  /** Step two: the authenticator's code; the first right one enrols the secret the QR showed. */
  async confirm(ticket: string, code: string): Promise<PlatformSignIn> {
    const t = await this.openTicket(ticket);
    const tries = this.misses.get(t.tid) ?? 0;
    if (tries >= TOTP_TRIES) {
      throw new DomainError(
        'unauthenticated',
        'too_many_codes',
        'too many wrong codes: sign in again with a new texted code',
        'code',
      );
    }
    const staff = await findStaff(this.d.store.read, t.phone);
    if (!staff || staff.removed) throw notStaff();
    const secret = t.enrol ?? (staff.totp ? this.box.open(staff.totp) : undefined);
    if (!secret) {
      throw new DomainError(
        'unauthenticated',
        'enrol_again',
        'the authenticator is not enrolled: sign in again to scan a new QR code',
        'ticket',
      );
    }
    const now = this.d.clock.now();
    const delta = this.totp(t.phone, secret).validate({ token: code, window: 1, timestamp: now });
    if (delta === null) {
      this.misses.set(t.tid, tries + 1);
      throw new DomainError(
        'unauthenticated',
        'invalid_totp',
        'the authenticator code is wrong: use the 6 digits it shows now',
        'code',
      );
    }
    if (!(await this.takeStep(t.phone, Math.floor(now / 1000 / TOTP_PERIOD_S) + delta))) {
      throw new DomainError(
        'unauthenticated',
        'totp_used',
        'this authenticator code was used already: wait for the next one (a new code every 30 seconds)',
        'code',
      );
    }
    this.misses.delete(t.tid);
    let signedIn: PlatformStaffRecord = staff;
    if (t.enrol) {
      const writer = platformWriter(this.d.store);
      signedIn =
        (await changeStaff(
          writer,
          { kind: 'enrol', phone: t.phone, sealedSecret: this.box.seal(t.enrol) },
          this.d.clock.now(),
        )) ?? staff;
      await this.d.audit.record(writer, {
        actor: t.phone,
        action: 'staff.enrol_authenticator',
        target: `staff:${t.phone}`,
        reason: 'first sign-in',
      });
    }
    const iat = Math.floor(this.d.clock.now() / 1000);
    const token = await new SignJWT({ kind: 'platform_staff' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(t.phone)
      .setIssuer(ISSUER)
      .setAudience('platform-staff')
      .setIssuedAt(iat)
      .setExpirationTime(iat + TOKEN_TTL_S)
      .sign(this.tokenKey);
    return { token, staff: staffView(signedIn) };
  }

  /**
   * The guard: the staff member a bearer token proves, as they are now, if their roles allow
   * `action`; a 401 when not signed in (or removed), a 403 naming who may.
   */
  async callerFor(
    token: string | undefined,
    action: PlatformAction | undefined,
  ): Promise<PlatformCaller> {
    const phone = token ? await this.phoneOf(token) : undefined;
    const staff = phone ? await findStaff(this.d.store.read, phone) : undefined;
    if (!staff || staff.removed) throw notStaff();
    const caller = { phone: staff.phone, name: staff.name, roles: staff.roles };
    if (action && !platformMay(staff.roles, action)) throw notAllowed(caller, action);
    return caller;
  }

  private async phoneOf(token: string): Promise<string | undefined> {
    try {
      const { payload } = await jwtVerify(token, this.tokenKey, {
        issuer: ISSUER,
        audience: 'platform-staff',
        algorithms: ['HS256'],
        currentDate: new Date(this.d.clock.now()),
      });
      return payload.kind === 'platform_staff' ? payload.sub : undefined;
    } catch {
      return undefined;
    }
  }

  /**
   * Takes `step` as the staff member's last accepted time-step; false when it, or a later one,
   * was taken already. Compare-and-set on the document's revision: of two instances accepting the
   * same code at once, one wins.
   */
  private async takeStep(phone: string, step: number): Promise<boolean> {
    const couch = this.d.store.read;
    const id = `platform_totp:${createHmac('sha256', this.stepKey).update(phone).digest('hex').slice(0, 40)}`;
    for (;;) {
      const current = await couch.get<TotpStepDoc>(CLOUD_DBS.auth, id);
      if (current && current.step >= step) return false;
      try {
        await couch.put(CLOUD_DBS.auth, {
          _id: id,
          ...(current?._rev ? { _rev: current._rev } : {}),
          type: 'platform_totp_step',
          step,
          at: new Date(this.d.clock.now()).toISOString(),
        });
        return true;
      } catch (error) {
        if (!isConflict(error)) throw error;
      }
    }
  }

  private totp(phone: string, secret: string): TOTP {
    return new TOTP({
      issuer: APP_NAME,
      label: phone,
      algorithm: 'SHA1',
      digits: 6,
      period: TOTP_PERIOD_S,
      secret: Secret.fromBase32(secret),
    });
  }

  /** The TOTP code now, for a secret (the command line's and tests' use). */
  static codeFor(secret: string, atMs: number): string {
    return new TOTP({ secret: Secret.fromBase32(secret), digits: 6, period: 30 }).generate({
      timestamp: atMs,
    });
  }

  private ticket(t: { phone: string; tid: string; enrol?: string }): Promise<string> {
    const iat = Math.floor(this.d.clock.now() / 1000);
    // Encrypted, not only signed: an enrolment ticket carries the new secret.
    return new EncryptJWT({ ...t })
      .setProtectedHeader({ alg: 'dir', enc: 'A256GCM' })
      .setIssuer(ISSUER)
      .setAudience('platform-ticket')
      .setIssuedAt(iat)
      .setExpirationTime(iat + TICKET_TTL_S)
      .encrypt(this.ticketKey);
  }

  private async openTicket(
    ticket: string,
  ): Promise<{ phone: string; tid: string; enrol?: string }> {
    try {
      const { payload } = await jwtDecrypt(ticket, this.ticketKey, {
        issuer: ISSUER,
        audience: 'platform-ticket',
        currentDate: new Date(this.d.clock.now()),
      });
      if (typeof payload.phone === 'string' && typeof payload.tid === 'string') {
        return {
          phone: payload.phone,
          tid: payload.tid,
          ...(typeof payload.enrol === 'string' ? { enrol: payload.enrol } : {}),
        };
      }
    } catch {
      // Falls through to the refusal.
    }
    throw new DomainError(
      'unauthenticated',
      'ticket_expired',
      'the sign-in took too long or the ticket is not ours: start again with a texted code',
      'ticket',
    );
  }
}

/** The last time-step a staff member's authenticator code was accepted for. */
interface TotpStepDoc extends CouchDoc {
  type: 'platform_totp_step';
  step: number;
  at: string;
}

const ROLE_WORDS: Record<PlatformRole, string> = {
  platform_owner: 'the platform owner',
  user_admin: 'a user admin',
  merchant_admin: 'a merchant admin',
  order_admin: 'an order admin',
  analyst: 'an analyst',
};

const notStaff = () =>
  new DomainError(
    'unauthenticated',
    'sign_in_required',
    'sign in to the platform console first: send a platform staff Bearer token',
  );

function notAllowed(caller: PlatformCaller, action: PlatformAction): DomainError {
  const may = PLATFORM_PERMISSIONS[action].map((r) => ROLE_WORDS[r]).join(' or ');
  const are = caller.roles.map((r) => ROLE_WORDS[r]).join(' and ') || 'no role';
  return new DomainError(
    'forbidden',
    'not_allowed',
    `only ${may} may do this (${action}); you are ${are}`,
  ).with({ action, may, are });
}

/**
 * A platform route: its spec, the one action of the permission table it needs, and its handler,
 * which gets the signed-in staff member. Every platform route is made with this.
 */
export function platformRoute<
  B extends z.ZodType = z.ZodUnknown,
  Q extends z.ZodType = z.ZodUnknown,
  P extends z.ZodObject = z.ZodObject,
>(
  def: Omit<RouteSpec, 'access' | 'body' | 'query' | 'params'> & {
    /** What the caller's role must allow; undefined: any signed-in staff member. */
    action: PlatformAction | undefined;
    idempotent?: boolean;
    body?: B;
    query?: Q;
    params?: P;
    handle: (input: RouteInput<z.output<B>, z.output<Q>, z.output<P>, PlatformCaller>) => unknown;
  },
): RouteDef {
  const who = def.action
    ? PLATFORM_PERMISSIONS[def.action].join(', ')
    : 'any platform staff member';
  return {
    ...def,
    access: 'platform',
    tag: def.tag,
    summary: `${def.summary} (platform: ${who})`,
  } as RouteDef;
}

/** Sign-in and who-am-I for the console. */
export function platformAuthRoutes(auth: PlatformAuth): RouteDef[] {
  return [
    {
      method: 'post',
      path: '/api/platform/login',
      tag: 'platform',
      access: 'anyone',
      summary:
        'Platform staff sign-in, step one: the phone and the code texted to it (/api/auth/sms/send); answers a ticket for the authenticator code, with a QR to scan at the first sign-in',
      body: PlatformSignInBodySchema,
      handle: ({
        body,
      }: RouteInput<z.output<typeof PlatformSignInBodySchema>, unknown, unknown, null>) =>
        auth.signIn(body.phone, body.code),
    } as RouteDef,
    {
      method: 'post',
      path: '/api/platform/login/totp',
      tag: 'platform',
      access: 'anyone',
      summary:
        "Platform staff sign-in, step two: the ticket and the authenticator app's 6-digit code; answers a bearer token for the console",
      body: PlatformTotpBodySchema,
      errors: {
        401: ['invalid_totp', 'totp_used', 'too_many_codes', 'ticket_expired', 'enrol_again'],
      },
      handle: ({
        body,
      }: RouteInput<z.output<typeof PlatformTotpBodySchema>, unknown, unknown, null>) =>
        auth.confirm(body.ticket, body.code),
    } as RouteDef,
    platformRoute({
      method: 'get',
      path: '/api/platform/me',
      tag: 'platform',
      action: undefined,
      summary: 'The signed-in staff member, their roles and the actions those allow',
      handle: ({ caller }) => ({
        ...caller,
        actions: Object.keys(PLATFORM_PERMISSIONS).filter((a) =>
          platformMay(caller.roles, a as PlatformAction),
        ),
      }),
    }),
  ];
}
