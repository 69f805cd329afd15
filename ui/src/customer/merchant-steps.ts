// Where a merchant application stands for its applicant, pure: which documents are still missing,
// whether it may change or be submitted now, and the first detail the cloud would refuse (its
// rules are MerchantApplicationBodySchema's, checked here so the form names the field at once).
import {
  MERCHANT_DOCUMENT_KINDS,
  type MerchantApplicationView,
  type MerchantDocumentKind,
  MOBILE_NUMBER,
} from '@roomhub/shared-types';
import type { MerchantApplicationDetails } from '../api/merchant-client';

/** The documents not uploaded yet, in the order the page lists them. */
export const missingDocuments = (app: MerchantApplicationView): MerchantDocumentKind[] =>
  MERCHANT_DOCUMENT_KINDS.filter((k) => !app.documents.some((d) => d.kind === k));

/** Details and documents change before it is submitted and after it is sent back. */
export const canChange = (app: MerchantApplicationView): boolean =>
  app.status === 'draft' || app.status === 'returned';

export const canSubmit = (app: MerchantApplicationView): boolean =>
  canChange(app) && missingDocuments(app).length === 0;

// Counted as zod counts a string's length.
const within = (s: string, min: number, max: number) => {
  const n = s.trim().length;
  return n >= min && n <= max;
};

/** The first detail broken, as a `merchant:rules.*` key and the store's number; null when fine. */
export function detailsProblem(
  d: MerchantApplicationDetails,
): { rule: 'merchantName' | 'contactPhone' | 'storeName' | 'storeAddress'; n?: number } | null {
  if (!within(d.merchantName, 2, 60)) return { rule: 'merchantName' };
  if (!MOBILE_NUMBER.test(d.contactPhone.trim())) return { rule: 'contactPhone' };
  for (const [i, s] of d.stores.entries()) {
    if (!within(s.name, 2, 40)) return { rule: 'storeName', n: i + 1 };
    if (!within(s.address, 4, 120)) return { rule: 'storeAddress', n: i + 1 };
  }
  return null;
}

/** The details as the cloud takes them: trimmed. */
export const trimmedDetails = (d: MerchantApplicationDetails): MerchantApplicationDetails => ({
  merchantName: d.merchantName.trim(),
  contactPhone: d.contactPhone.trim(),
  stores: d.stores.map((s) => ({ name: s.name.trim(), address: s.address.trim() })),
});

/** A file's size as a person reads it. */
export function sizeText(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
