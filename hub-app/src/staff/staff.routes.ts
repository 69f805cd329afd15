// Staff, sign-in, paired screens and the audit log over HTTP (O9). Who may call each is in the
// permission table; who may manage whom is the staff service's rule.
import {
  AuditQuerySchema,
  PairSchema,
  PairingCodeCreateSchema,
  PinResetSchema,
  SignInSchema,
  StaffCreateSchema,
  StaffPatchSchema,
  WaitClearSchema,
} from '@roomhub/shared-types';
import type { Request } from 'express';
import type { Hub } from '../hub';
import { IdParams, route, type RouteEntry } from '../http/route';

/** Where a sign-in comes from: its paired screen, or else its address. */
const sourceOf = (req: Request, screen: { id: string } | undefined) =>
  screen ? `screen:${screen.id}` : `ip:${req.ip ?? req.socket.remoteAddress ?? 'unknown'}`;

export function staffRoutes(hub: Hub): RouteEntry[] {
  const { staff, signIn, screens, audit } = hub;
  return [
    route({
      method: 'post',
      path: '/api/auth/sign-in',
      errors: { 401: ['wrong_pin'], 429: ['wait_before_trying'] },
      tag: 'staff',
      audited: true,
      summary: 'Sign in with a PIN; the token goes in Authorization: Bearer (O9)',
      body: SignInSchema,
      handle: ({ body, req, actor }) =>
        signIn.signIn(body.pin, {
          key: sourceOf(req, actor.screen),
          ...(actor.screen ? { screen: actor.screen } : {}),
        }),
    }),
    route({
      method: 'post',
      path: '/api/auth/sign-out',
      tag: 'staff',
      audited: true,
      summary: 'End this sign-in',
      handle: ({ req, actor, write }) =>
        write(() =>
          signIn.signOut(
            /^Bearer\s+(\S+)$/i.exec(req.get('authorization') ?? '')?.[1] ?? '',
            actor,
          ),
        ),
    }),
    route({
      method: 'get',
      path: '/api/auth/me',
      tag: 'staff',
      audited: true,
      summary: 'Who is signed in, and on which screen',
      handle: ({ actor }) => ({ staff: staff.get(actor.id), screen: actor.screen ?? null }),
    }),
    route({
      method: 'post',
      path: '/api/auth/waits/clear',
      tag: 'staff',
      audited: true,
      summary: 'End the wait after wrong PINs, for one screen or address or for all',
      body: WaitClearSchema,
      handle: ({ body, actor, write }) => write(() => signIn.clearWaits(body.source, actor)),
    }),
    route({
      method: 'get',
      path: '/api/staff',
      tag: 'staff',
      audited: true,
      summary: 'The store’s staff and their roles',
      handle: () => staff.list(),
    }),
    route({
      method: 'post',
      path: '/api/staff',
      tag: 'staff',
      audited: true,
      summary: 'Add a staff member with a role and a PIN',
      status: 201,
      body: StaffCreateSchema,
      handle: async ({ body, actor, write }) => {
        const pinHash = await staff.hashPin(body.pin);
        return write(() => staff.create({ ...body, pinHash }, actor));
      },
    }),
    route({
      method: 'patch',
      path: '/api/staff/:id',
      tag: 'staff',
      audited: true,
      summary: 'Rename a staff member, change their role, disable or enable them',
      params: IdParams,
      body: StaffPatchSchema,
      handle: ({ params, body, actor, write }) => write(() => staff.patch(params.id, body, actor)),
    }),
    route({
      method: 'post',
      path: '/api/staff/:id/pin',
      tag: 'staff',
      audited: true,
      summary: 'Set a new PIN; sign-ins with the old one end',
      params: IdParams,
      body: PinResetSchema,
      handle: async ({ params, body, actor, write }) => {
        const pinHash = await staff.hashPin(body.pin);
        return write(() => staff.resetPin(params.id, body.pin, pinHash, actor));
      },
    }),
    route({
      method: 'post',
      path: '/api/screens/pairing-codes',
      tag: 'staff',
      audited: true,
      summary: 'Make a one-time code to pair a kiosk, cashier screen or door scanner',
      status: 201,
      body: PairingCodeCreateSchema,
      handle: ({ body, actor, write }) => write(() => screens.createPairingCode(body, actor)),
    }),
    route({
      method: 'post',
      path: '/api/screens/pair',
      errors: { 401: ['pairing_code_invalid'] },
      tag: 'staff',
      audited: true,
      summary: 'Trade a pairing code for this screen’s token (X-Screen-Token)',
      status: 201,
      body: PairSchema,
      perMinute: 10,
      handle: ({ body, write }) => write(() => screens.pair(body.code)),
    }),
    route({
      method: 'get',
      path: '/api/screens',
      tag: 'staff',
      audited: true,
      summary: 'Paired screens, revoked ones last',
      handle: () => screens.list(),
    }),
    route({
      method: 'delete',
      path: '/api/screens/:id',
      tag: 'staff',
      audited: true,
      summary: 'Unpair a screen; its token stops working at once',
      params: IdParams,
      handle: ({ params, actor, write }) => write(() => screens.revoke(params.id, actor)),
    }),
    route({
      method: 'get',
      path: '/api/audit',
      tag: 'staff',
      audited: true,
      summary: 'Read the audit log of staff actions, newest first, filtered',
      query: AuditQuerySchema,
      handle: ({ query }) => audit.list(query, hub.store.getStore().timeZone),
    }),
  ];
}
