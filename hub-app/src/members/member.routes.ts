// Members over HTTP (C11, O6): the owner and managers set the levels and the rules; the counter
// looks a member up (by id or phone) with their points; managers change a profile, give a level by
// hand and adjust points, each with why; the owner alone exports the list, masked unless asked in
// full, every export audited. A route parses, calls one service (inside a write when it changes
// something or must be audited), answers.
import {
  localDateOf,
  MemberExportQuerySchema,
  MemberLevelsPutSchema,
  MemberSettingsPutSchema,
  MemberListQuerySchema,
  MemberPatchSchema,
  MemberRulesSchema,
  PointsAdjustSchema,
} from '@roomhub/shared-types';
import { z } from 'zod';
import type { Hub } from '../hub';
import { route, type RouteEntry } from '../http/route';

/** A member's id, or the phone number the counter types. */
const MemberParams = z.object({ id: z.string().trim().min(1).max(64) });

export function memberRoutes({ members, memberViews, clock, store }: Hub): RouteEntry[] {
  return [
    route({
      method: 'get',
      path: '/api/member-levels',
      tag: 'members',
      summary: 'The member levels (lowest first) with what each gives, and the rules',
      handle: () => members.settingsView(),
    }),
    route({
      method: 'put',
      path: '/api/member-levels',
      errors: { 409: ['level_in_use'], 422: ['level_unknown'] },
      tag: 'members',
      summary:
        'Set the member levels: name, threshold, room and item discounts, extra booking days, birthday points',
      body: MemberLevelsPutSchema,
      handle: ({ body, actor, write }) => write(() => members.putLevels(body, actor)),
    }),
    route({
      method: 'put',
      path: '/api/member-settings',
      errors: { 409: ['level_in_use', 'levels_changed'], 422: ['level_unknown'] },
      tag: 'members',
      summary:
        'Set the rules and the levels together (the dashboard’s card): both kept, then every member moved up once by the new rule against the new thresholds',
      body: MemberSettingsPutSchema,
      handle: ({ body, actor, write }) =>
        write(() =>
          members.putSettings(body.rules, { levels: body.levels }, actor, body.seenLevelIds),
        ),
    }),
    route({
      method: 'get',
      path: '/api/member-rules',
      tag: 'members',
      summary: 'What earns a level, points per yuan, what a point is worth, when points expire',
      handle: () => members.settingsView().rules,
    }),
    route({
      method: 'put',
      path: '/api/member-rules',
      tag: 'members',
      summary: 'Set what earns a level (spend, visits, points, one top-up) and the points rules',
      body: MemberRulesSchema,
      handle: ({ body, actor, write }) => write(() => members.putRules(body, actor)),
    }),
    route({
      method: 'get',
      path: '/api/members',
      tag: 'members',
      summary:
        'The member list: level, points, spend, visits, last visit; by level, spend, last visit, phone',
      query: MemberListQuerySchema,
      handle: ({ query }) => memberViews.list(query),
    }),
    // Before /api/members/:id, which would otherwise take "export.csv" for an id.
    route({
      method: 'get',
      path: '/api/members/export.csv',
      tag: 'members',
      summary:
        'The member list as CSV; phones and birthdays masked unless full=1; every export audited',
      query: MemberExportQuerySchema,
      raw: true,
      handle: async ({ query, actor, write, res }) => {
        const { csv } = await write(() => memberViews.exportCsv(query, actor));
        const day = localDateOf(clock.now(), store.getStore().timeZone);
        res
          .status(200)
          .type('text/csv; charset=utf-8')
          .set('content-disposition', `attachment; filename="members-${day}.csv"`)
          .send(csv);
      },
    }),
    route({
      method: 'get',
      path: '/api/members/:id',
      tag: 'members',
      summary: 'One member (by id or phone): level and what it gives, points and their history',
      params: MemberParams,
      handle: ({ params }) => memberViews.detail(params.id),
    }),
    route({
      method: 'patch',
      path: '/api/members/:id',
      errors: { 422: ['level_unknown'] },
      tag: 'members',
      summary: "Change a member's name or birthday, or give a level by hand with the reason",
      params: MemberParams,
      body: MemberPatchSchema,
      handle: ({ params, body, actor, write }) =>
        write(() => members.patch(params.id, body, actor)),
    }),
    route({
      method: 'post',
      path: '/api/members/:id/points',
      errors: { 409: ['points_short'] },
      tag: 'members',
      summary: "Add or take off a member's points by hand, with the reason",
      status: 201,
      params: MemberParams,
      body: PointsAdjustSchema,
      handle: ({ params, body, actor, write }) =>
        write(() => members.adjust(params.id, body, actor)),
    }),
  ];
}
