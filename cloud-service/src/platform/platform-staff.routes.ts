// The platform owner's staff page and the audit trail: who works for the platform, in which
// roles, and every change anyone made. Each change is audited with its reason.
import {
  DomainError,
  PlatformAuditQuerySchema,
  PlatformStaffBodySchema,
  PlatformStaffParamsSchema,
  PlatformStaffRemoveBodySchema,
  type Clock,
} from '@roomhub/shared-types';
import type { RouteDef } from '../http/route';
import type { PlatformAudit } from './platform-audit';
import { platformRoute } from './platform-auth';
import { changeStaff, listStaff, staffView } from './platform-staff';
import { platformWriter, type PlatformStore } from './platform-store';

export function platformStaffRoutes(d: {
  store: PlatformStore;
  audit: PlatformAudit;
  clock: Clock;
}): RouteDef[] {
  return [
    platformRoute({
      method: 'get',
      path: '/api/platform/staff',
      tag: 'platform',
      action: 'staff.manage',
      summary: 'The platform staff and their roles',
      handle: async () => (await listStaff(d.store.read)).map(staffView),
    }),
    platformRoute({
      method: 'put',
      path: '/api/platform/staff/:phone',
      tag: 'platform',
      action: 'staff.manage',
      summary: 'Adds a staff member, or changes their name and roles, with the reason',
      params: PlatformStaffParamsSchema,
      body: PlatformStaffBodySchema,
      handle: async ({ params, body, caller }) => {
        if (body.phone !== params.phone) {
          throw new DomainError(
            'bad_input',
            'phone_mismatch',
            'phone: the body names another phone than the path',
            'phone',
          );
        }
        if (params.phone === caller.phone && !body.roles.includes('platform_owner')) {
          throw new DomainError(
            'invalid',
            'keep_an_owner',
            'roles: you cannot take the platform owner role from yourself; another platform owner must',
            'roles',
          );
        }
        const writer = platformWriter(d.store);
        const staff = await changeStaff(
          writer,
          {
            kind: 'set',
            phone: params.phone,
            name: body.name,
            roles: body.roles,
            by: caller.phone,
          },
          d.clock.now(),
        );
        await d.audit.record(writer, {
          actor: caller.phone,
          action: 'staff.set',
          target: `staff:${params.phone}`,
          reason: body.reason,
          detail: { name: body.name, roles: body.roles },
        });
        return staffView(staff!);
      },
    }),
    platformRoute({
      method: 'delete',
      path: '/api/platform/staff/:phone',
      tag: 'platform',
      action: 'staff.manage',
      summary: 'Removes a staff member, with the reason; their sign-in stops at once',
      params: PlatformStaffParamsSchema,
      body: PlatformStaffRemoveBodySchema,
      handle: async ({ params, body, caller }) => {
        if (params.phone === caller.phone) {
          throw new DomainError(
            'invalid',
            'keep_an_owner',
            'phone: you cannot remove yourself; another platform owner must',
            'phone',
          );
        }
        const writer = platformWriter(d.store);
        const removed = await changeStaff(
          writer,
          { kind: 'remove', phone: params.phone, by: caller.phone },
          d.clock.now(),
        );
        if (!removed) {
          throw new DomainError(
            'not_found',
            'staff_not_found',
            `phone: ${params.phone} is not on the platform staff`,
            'phone',
          );
        }
        await d.audit.record(writer, {
          actor: caller.phone,
          action: 'staff.remove',
          target: `staff:${params.phone}`,
          reason: body.reason,
        });
        return { removed: true, phone: params.phone };
      },
    }),
    platformRoute({
      method: 'get',
      path: '/api/platform/audit',
      tag: 'platform',
      action: 'audit.read',
      summary: 'The audit trail, newest first: who did what, to what, and why',
      query: PlatformAuditQuerySchema,
      handle: ({ query }) => d.audit.list(platformWriter(d.store), query),
    }),
  ];
}
