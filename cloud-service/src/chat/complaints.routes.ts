// Complaints (P1, C13): the customer turns a conversation about their order into a complaint; the
// platform's order staff list complaints, read one with its conversation and order, step in and
// close it (platform routes, guarded by the permission table: orders.read and orders.manage).
import {
  ChatParamsSchema,
  ComplaintBodySchema,
  PlatformComplaintCloseBodySchema,
  PlatformComplaintParamsSchema,
  PlatformComplaintQuerySchema,
  PlatformComplaintSayBodySchema,
} from '@roomhub/shared-types';
import { route, type RouteDef } from '../http/route';
import { platformRoute } from '../platform/platform-auth';
import type { Complaints } from './complaints';

export function complaintRoutes(complaints: Complaints): RouteDef[] {
  return [
    route({
      method: 'post',
      path: '/api/me/chats/:storeId/:chatId/complaint',
      tag: 'chat',
      access: 'customer',
      status: 201,
      summary:
        'Turn my conversation about one of my orders into a complaint (投诉), with the reason; the platform takes it up',
      params: ChatParamsSchema,
      body: ComplaintBodySchema,
      errors: {
        404: ['chat_not_found'],
        409: ['already_complaint'],
        422: ['complaint_needs_order', 'complaint_order_unknown'],
      },
      handle: ({ caller, params, body }) =>
        complaints.file(caller, params.storeId, params.chatId, body.reason),
    }),
    platformRoute({
      method: 'get',
      path: '/api/platform/complaints',
      tag: 'platform',
      action: 'orders.read',
      summary:
        'Complaints between customers and stores, newest first: open (default), closed or all',
      query: PlatformComplaintQuerySchema,
      handle: async ({ query }) => ({ complaints: await complaints.list(query.status) }),
    }),
    platformRoute({
      method: 'get',
      path: '/api/platform/complaints/:storeId/:chatId',
      tag: 'platform',
      action: 'orders.read',
      summary: "A complaint with the whole conversation and the order's facts",
      params: PlatformComplaintParamsSchema,
      errors: { 404: ['complaint_not_found', 'chat_not_found'] },
      handle: ({ params }) => complaints.detail(params.storeId, params.chatId),
    }),
    platformRoute({
      method: 'post',
      path: '/api/platform/complaints/:storeId/:chatId/lines',
      tag: 'platform',
      action: 'orders.manage',
      status: 201,
      summary:
        'Step into a complaint: a line in its conversation as 平台客服, seen by the customer and the store (the first tells both by message)',
      params: PlatformComplaintParamsSchema,
      body: PlatformComplaintSayBodySchema,
      errors: { 404: ['complaint_not_found'], 409: ['complaint_closed'] },
      handle: ({ caller, params, body }) =>
        complaints.say(caller, params.storeId, params.chatId, body.text),
    }),
    platformRoute({
      method: 'post',
      path: '/api/platform/complaints/:storeId/:chatId/close',
      tag: 'platform',
      action: 'orders.manage',
      summary:
        'Close a complaint with its outcome (upheld, not upheld, settled) and words, said in the conversation and told to both sides',
      params: PlatformComplaintParamsSchema,
      body: PlatformComplaintCloseBodySchema,
      errors: { 404: ['complaint_not_found'], 409: ['complaint_closed'] },
      handle: ({ caller, params, body }) =>
        complaints.close(caller, params.storeId, params.chatId, body.outcome, body.words),
    }),
  ];
}
