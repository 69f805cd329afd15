import { describe, expect, it } from 'vitest';
import { InvoiceAskSchema } from '../api/invoices';
import { isUnifiedSocialCreditCode, taxIdCheckChar, taxIdProblem } from './tax-id';

// Codes printed on real business licences (published company registrations).
const REAL = ['91440300708461136T', '9144030071526726XG', '91110000802100433B'];

describe('the unified social credit code (GB 32100-2015)', () => {
  it('accepts real codes and computes their check character', () => {
    for (const code of REAL) {
      expect(isUnifiedSocialCreditCode(code)).toBe(true);
      expect(taxIdCheckChar(code.slice(0, 17))).toBe(code[17]);
    }
  });

  it('refuses a typo by its check character, naming the rule', () => {
    expect(taxIdProblem('91440300708461136A')).toMatch(/check digit/);
    // Two neighbouring characters swapped.
    expect(isUnifiedSocialCreditCode('91440300704861136T')).toBe(false);
  });

  it('refuses the wrong length and letters the code never uses', () => {
    expect(taxIdProblem('9144030070846113')).toBe('must be 18 characters, not 16');
    expect(taxIdProblem('91440300708461136I')).toMatch(/no I, O, Z, S or V/);
    expect(taxIdProblem('91A40300708461136T')).toMatch(/3rd to 8th/);
  });

  it('reads a code typed in lower case or with spaces, and names the field when wrong', () => {
    const ok = InvoiceAskSchema.safeParse({
      title: { kind: 'company', name: '某某有限公司', taxId: '9144 0300 7084 6113 6t' },
    });
    expect(ok.success && ok.data.title).toMatchObject({ taxId: '91440300708461136T' });
    const bad = InvoiceAskSchema.safeParse({
      title: { kind: 'company', name: '某某有限公司', taxId: '91440300708461136A' },
    });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.path).toEqual(['title', 'taxId']);
  });
});
