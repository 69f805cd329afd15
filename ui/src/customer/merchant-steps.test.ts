// Where a merchant application stands for its applicant, and the form's rules agreeing with the
// cloud's: a detail the form lets through is one the cloud takes, and the other way round.
import { describe, expect, it } from 'vitest';
import { MerchantApplicationBodySchema, type MerchantApplicationView } from '@roomhub/shared-types';
import type { MerchantApplicationDetails } from '../api/merchant-client';
import { typeOf } from './document-file';
import {
  canChange,
  canSubmit,
  detailsProblem,
  missingDocuments,
  sizeText,
  trimmedDetails,
} from './merchant-steps';

const doc = (kind: MerchantApplicationView['documents'][number]['kind']) => ({
  kind,
  type: 'application/pdf',
  bytes: 100,
  at: '2026-12-01T02:00:00.000Z',
});
const app = (over: Partial<MerchantApplicationView>): MerchantApplicationView => ({
  applicationId: 'a1b2c3d4e5',
  applicantPhone: '13800008001',
  merchantName: '静心茶舍',
  contactPhone: '13800008001',
  stores: [{ name: '静心茶舍·徐汇店', address: '上海市徐汇区漕溪北路 88 号' }],
  documents: [],
  status: 'draft',
  reasons: null,
  storeIds: [],
  createdAt: '2026-12-01T02:00:00.000Z',
  updatedAt: '2026-12-01T02:00:00.000Z',
  ...over,
});

describe('a merchant application for its applicant', () => {
  it('names the documents still missing, in the page’s order, and submits only with all three', () => {
    expect(missingDocuments(app({ documents: [doc('health_permit')] }))).toEqual([
      'business_licence',
      'fire_permit',
    ]);
    const full = [doc('business_licence'), doc('fire_permit'), doc('health_permit')];
    expect(canSubmit(app({ documents: full }))).toBe(true);
    expect(canSubmit(app({ documents: full, status: 'returned' }))).toBe(true);
    expect(canSubmit(app({ documents: full, status: 'submitted' }))).toBe(false);
    expect(canSubmit(app({ documents: full.slice(1) }))).toBe(false);
    expect(canChange(app({ status: 'approved' }))).toBe(false);
  });

  it('refuses in the form exactly what the cloud would refuse, naming the store', () => {
    const ok: MerchantApplicationDetails = {
      merchantName: ' 静心茶舍 ',
      contactPhone: '13800008001',
      stores: [
        { name: '徐汇店', address: '漕溪北路 88 号' },
        { name: '静安店', address: '南京西路 1 号' },
      ],
    };
    const cases: [MerchantApplicationDetails, ReturnType<typeof detailsProblem>][] = [
      [ok, null],
      [{ ...ok, merchantName: ' 茶 ' }, { rule: 'merchantName' }],
      [{ ...ok, contactPhone: '12800008001' }, { rule: 'contactPhone' }],
      [
        { ...ok, stores: [ok.stores[0]!, { name: '店', address: '南京西路 1 号' }] },
        { rule: 'storeName', n: 2 },
      ],
      [
        { ...ok, stores: [{ name: '徐汇店', address: '漕溪' }] },
        { rule: 'storeAddress', n: 1 },
      ],
    ];
    for (const [details, problem] of cases) {
      expect(detailsProblem(details)).toEqual(problem);
      expect(MerchantApplicationBodySchema.safeParse(trimmedDetails(details)).success).toBe(
        problem === null,
      );
    }
  });

  it('says a file’s size and type as the page sends them', () => {
    expect(sizeText(812)).toBe('812 B');
    expect(sizeText(12_800)).toBe('13 KB');
    expect(sizeText(2_300_000)).toBe('2.2 MB');
    expect(typeOf({ type: 'image/jpg', name: 'x.jpg' })).toBe('image/jpeg');
    expect(typeOf({ type: '', name: '营业执照.PDF' })).toBe('application/pdf');
    expect(typeOf({ type: '', name: 'permit.heic' })).toBe('application/octet-stream');
  });
});
