// A would-be owner's merchant application (P1) from the customer's pages, with the customer's
// token (cloud-client's `call`): their applications, the details, the documents and submitting.
// A document goes as the file itself with its own Content-Type, through XMLHttpRequest so the
// page can show how much of it has gone; its refusal is a CloudRefusal like any other call's.
import type {
  ApiErrorBody,
  MerchantApplicationView,
  MerchantDocumentKind,
} from '@roomhub/shared-types';
import {
  call,
  CLOUD_UNREACHABLE,
  CloudRefusal,
  customerToken,
  forgetCustomerToken,
} from './cloud-client';

/** What the applicant fills in: the merchant's name, a contact phone and its stores. */
export type MerchantApplicationDetails = Pick<
  MerchantApplicationView,
  'merchantName' | 'contactPhone' | 'stores'
>;

const enc = encodeURIComponent;
const BASE = '/api/merchant-applications';

/** Sends one document; `onProgress` hears the share of it sent so far, 0 to 1. */
function putDocument(
  applicationId: string,
  kind: MerchantDocumentKind,
  file: Blob,
  type: string,
  onProgress: (sent: number) => void,
): Promise<MerchantApplicationView> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('PUT', `${BASE}/${enc(applicationId)}/documents/${kind}`);
    xhr.setRequestHeader('accept-language', 'zh-CN');
    xhr.setRequestHeader('content-type', type);
    const token = customerToken();
    if (token) xhr.setRequestHeader('authorization', `Bearer ${token}`);
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable && e.total > 0) onProgress(e.loaded / e.total);
    };
    xhr.onerror = () => reject(new CloudRefusal(0, CLOUD_UNREACHABLE, 'the cloud did not answer'));
    xhr.onload = () => {
      let parsed: unknown = null;
      try {
        parsed = xhr.responseText ? JSON.parse(xhr.responseText) : null;
      } catch {
        reject(new CloudRefusal(xhr.status, CLOUD_UNREACHABLE, xhr.statusText));
        return;
      }
      if (xhr.status >= 200 && xhr.status < 300) {
        resolve(parsed as MerchantApplicationView);
        return;
      }
      if (xhr.status === 401) forgetCustomerToken();
      const e = (parsed as ApiErrorBody | null)?.error;
      reject(
        new CloudRefusal(xhr.status, e?.code ?? 'internal', e?.message ?? xhr.statusText, e?.field),
      );
    };
    xhr.send(file);
  });
}

export const merchantCloud = {
  mine: () => call<MerchantApplicationView[]>('GET', `${BASE}/mine`),
  create: (details: MerchantApplicationDetails) =>
    call<MerchantApplicationView>('POST', BASE, { body: details }),
  edit: (applicationId: string, details: MerchantApplicationDetails) =>
    call<MerchantApplicationView>('PUT', `${BASE}/${enc(applicationId)}`, { body: details }),
  upload: putDocument,
  /** One of the applicant's own documents, as uploaded (to show a picture of it). */
  document: async (applicationId: string, kind: MerchantDocumentKind): Promise<Blob> => {
    const token = customerToken();
    const res = await fetch(`${BASE}/${enc(applicationId)}/documents/${kind}`, {
      headers: token ? { authorization: `Bearer ${token}` } : {},
    });
    if (!res.ok) throw new CloudRefusal(res.status, 'document_not_found', res.statusText);
    return res.blob();
  },
  submit: (applicationId: string) =>
    call<MerchantApplicationView>('POST', `${BASE}/${enc(applicationId)}/submit`),
};
