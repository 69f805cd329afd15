// Merchant onboarding (P1): the would-be owner's application (signed in by SMS as a customer)
// and the merchant admins' review of it in the console.
import {
  MerchantApplicationBodySchema,
  MerchantApplicationParamsSchema,
  MerchantApplicationQuerySchema,
  MerchantDecisionBodySchema,
  MerchantDocumentParamsSchema,
} from '@roomhub/shared-types';
import { route, type RouteDef } from '../http/route';
import { platformRoute } from './platform-auth';
import type { PlatformMerchants } from './platform-merchants';

export function platformMerchantRoutes(merchants: PlatformMerchants): RouteDef[] {
  return [
    route({
      method: 'post',
      path: '/api/merchant-applications',
      tag: 'merchants',
      access: 'customer',
      status: 201,
      summary:
        "Starts a merchant application: the merchant's name, a contact phone and its stores; documents follow, then submit",
      body: MerchantApplicationBodySchema,
      handle: ({ body, caller }) => merchants.create(caller, body),
    }),
    route({
      method: 'get',
      path: '/api/merchant-applications/mine',
      tag: 'merchants',
      access: 'customer',
      summary: "The signed-in applicant's own applications, with their status and any reasons",
      handle: ({ caller }) => merchants.mine(caller),
    }),
    route({
      method: 'put',
      path: '/api/merchant-applications/:applicationId',
      tag: 'merchants',
      access: 'customer',
      summary:
        "Changes the application's details (the merchant's name, the contact phone, its stores) while it is a draft or after it is sent back",
      params: MerchantApplicationParamsSchema,
      body: MerchantApplicationBodySchema,
      errors: { 409: ['application_locked'] },
      handle: ({ params, body, caller }) => merchants.edit(caller, params.applicationId, body),
    }),
    route({
      method: 'put',
      path: '/api/merchant-applications/:applicationId/documents/:kind',
      tag: 'merchants',
      access: 'customer',
      summary:
        "Uploads a document (business_licence, health_permit, fire_permit): the file as the body with its Content-Type, of the kinds (JPEG, PNG, WebP, PDF) and sizes the platform's upload settings allow",
      params: MerchantDocumentParamsSchema,
      errors: { 422: ['document_too_large', 'document_type'], 409: ['application_locked'] },
      handle: ({ params, caller, req }) =>
        merchants.upload(
          caller,
          params.applicationId,
          params.kind,
          req.get('content-type'),
          req.body,
        ),
    }),
    route({
      method: 'get',
      path: '/api/merchant-applications/:applicationId/documents/:kind',
      tag: 'merchants',
      access: 'customer',
      summary: "One of the applicant's own documents, as uploaded",
      params: MerchantDocumentParamsSchema,
      handle: async ({ params, caller, res }) => {
        const file = await merchants.document(params.applicationId, params.kind, caller);
        res.type(file.type).send(file.bytes);
      },
    }),
    route({
      method: 'post',
      path: '/api/merchant-applications/:applicationId/submit',
      tag: 'merchants',
      access: 'customer',
      summary: 'Submits the application for review; all three documents must be there',
      params: MerchantApplicationParamsSchema,
      errors: { 422: ['documents_missing'] },
      handle: ({ params, caller }) => merchants.submit(caller, params.applicationId),
    }),
    platformRoute({
      method: 'get',
      path: '/api/platform/merchants',
      tag: 'platform',
      action: 'merchants.read',
      summary:
        'The approved merchants: their stores, the suspended ones, and their rating from reviews and penalties',
      handle: () => merchants.merchants(),
    }),
    platformRoute({
      method: 'get',
      path: '/api/platform/merchants/applications',
      tag: 'platform',
      action: 'merchants.read',
      summary: 'Merchant applications, newest first, by status',
      query: MerchantApplicationQuerySchema,
      handle: ({ query }) => merchants.list(query.status),
    }),
    platformRoute({
      method: 'get',
      path: '/api/platform/merchants/applications/:applicationId',
      tag: 'platform',
      action: 'merchants.read',
      summary: 'One merchant application',
      params: MerchantApplicationParamsSchema,
      handle: ({ params }) => merchants.get(params.applicationId),
    }),
    platformRoute({
      method: 'get',
      path: '/api/platform/merchants/applications/:applicationId/documents/:kind',
      tag: 'platform',
      action: 'merchants.read',
      summary: "An application's document, as uploaded",
      params: MerchantDocumentParamsSchema,
      handle: async ({ params, res }) => {
        const file = await merchants.document(params.applicationId, params.kind);
        res.type(file.type).send(file.bytes);
      },
    }),
    platformRoute({
      method: 'post',
      path: '/api/platform/merchants/applications/:applicationId/decision',
      tag: 'platform',
      action: 'merchants.manage',
      summary:
        "Approves a submitted application (each store gets its id; the applicant's phone is linked to those provisioned) or sends it back with reasons",
      params: MerchantApplicationParamsSchema,
      body: MerchantDecisionBodySchema,
      errors: { 409: ['not_submitted'] },
      handle: ({ params, body, caller }) => merchants.decide(caller, params.applicationId, body),
    }),
    platformRoute({
      method: 'post',
      path: '/api/platform/merchants/applications/:applicationId/link',
      tag: 'platform',
      action: 'merchants.manage',
      summary: "Links an approved merchant's stores provisioned since the approval",
      params: MerchantApplicationParamsSchema,
      handle: ({ params, caller }) => merchants.linkProvisioned(caller, params.applicationId),
    }),
  ];
}
