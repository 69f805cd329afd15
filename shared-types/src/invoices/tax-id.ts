// The unified social credit code (统一社会信用代码, GB 32100-2015) a company's invoice title names as
// its taxpayer id: 18 characters from 31 (digits and capitals without I, O, Z, S, V), the 3rd to
// 8th the administrative division (digits), the 18th a check character over the first 17. Pure.

/** The code's alphabet; a character's value is its index. */
const ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
/** The weight of each of the first 17 positions: 3^(i-1) mod 31. */
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

const SHAPE = /^[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}$/;

/** The check character for the first 17 characters of a code, or null when one is not allowed. */
export function taxIdCheckChar(first17: string): string | null {
  if (first17.length !== 17) return null;
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const v = ALPHABET.indexOf(first17[i]!);
    if (v < 0) return null;
    sum += v * WEIGHTS[i]!;
  }
  return ALPHABET[(31 - (sum % 31)) % 31]!;
}

/** Why a code is not one, in words that name the rule; null when it is a valid code. */
export function taxIdProblem(code: string): string | null {
  if (code.length !== 18) return `must be 18 characters, not ${code.length}`;
  if (!SHAPE.test(code)) {
    return 'must be digits and capital letters (no I, O, Z, S or V), the 3rd to 8th digits';
  }
  if (taxIdCheckChar(code.slice(0, 17)) !== code[17]) {
    return 'the last character (check digit) does not match: check the code for a typo';
  }
  return null;
}

export const isUnifiedSocialCreditCode = (code: string): boolean => taxIdProblem(code) === null;
