// The words people read in errors, in zh-CN and English, from the i18n files beside this module
// (through i18next). The English sentence a service writes is the source and the fallback; the
// zh-CN file holds a sentence per error code, filled with the error's params. Input that breaks a
// schema is named by its field and the rule it broke, in the reader's language, never in the
// validator's own terms ("expected string, received undefined").
import { createInstance } from 'i18next';
import type { z } from 'zod';
import en from './messages.en.json';
import zhCN from './messages.zh-CN.json';

export type Language = 'zh-CN' | 'en';

const i18n = createInstance();
void i18n.init({
  initAsync: false,
  lng: 'en',
  fallbackLng: false,
  resources: { en: { translation: en }, 'zh-CN': { translation: zhCN } },
  interpolation: { escapeValue: false },
  returnNull: false,
  showSupportNotice: false,
});

/** The language an `Accept-Language` header asks for: Chinese if it comes first, else English. */
export function pickLanguage(acceptLanguage: string | undefined): Language {
  const first = acceptLanguage
    ?.split(',')
    .map((part) => {
      const [tag, ...rest] = part.trim().split(';');
      const q = rest.find((p) => p.trim().startsWith('q='));
      return { tag: (tag ?? '').toLowerCase(), q: q ? Number(q.trim().slice(2)) : 1 };
    })
    .filter((x) => x.tag && x.q > 0)
    .sort((a, b) => b.q - a.q)[0];
  return first?.tag.startsWith('zh') ? 'zh-CN' : 'en';
}

const t = (lang: Language, key: string, params: Record<string, unknown> = {}): string | null => {
  if (!i18n.exists(key, { lng: lang })) return null;
  return i18n.t(key, { lng: lang, ...params });
};

/** Money in fen as a person reads it: ¥76.00. */
const yuan = (fen: number) => `¥${(fen / 100).toFixed(2)}`;
const MONEY = new Set(['amount', 'fee', 'shown', 'price']);

/** A params object as the zh-CN sentences want it: money in yuan, statuses in words. */
function readable(lang: Language, params: Record<string, string | number>) {
  const out: Record<string, string | number> = {};
  for (const [k, v] of Object.entries(params)) {
    if (MONEY.has(k) && typeof v === 'number') out[k] = yuan(v);
    else if (k === 'status' && typeof v === 'string') out[k] = t(lang, `statuses.${v}`) ?? v;
    else if (k === 'thing' && typeof v === 'string') out[k] = t(lang, `things.${v}`) ?? v;
    else out[k] = v;
  }
  return out;
}

/** The sentence for an error code in `lang`, or null when the i18n file has none. */
export function errorSentence(
  lang: Language,
  key: string,
  params: Record<string, string | number>,
): string | null {
  if (lang === 'en') return null;
  return t(lang, `errors.${key}`, readable(lang, params));
}

/** A field path as a person names it: 手机号 for customer.phone; the path itself otherwise. */
export function fieldName(lang: Language, field: string): string {
  return (lang === 'en' ? null : t(lang, `fields.${field}`)) ?? field;
}

type Issue = z.core.$ZodIssue | z.core.$ZodRawIssue;

/** A rule a schema words itself, in `lang`: its sentence in the i18n file, or as written. */
export function ownRule(lang: Language, message: string): string {
  if (lang === 'en') return message;
  const own = (zhCN as { own?: Record<string, string> }).own;
  return own?.[message] ?? message;
}

/** The rule an input broke, in `lang`: "is required", "must be at most 50". */
export function ruleOf(issue: Issue, lang: Language): string {
  const r = (key: string, params: Record<string, unknown> = {}) => t(lang, `rules.${key}`, params)!;
  const i = issue as Record<string, unknown> & { code: string };
  switch (i.code) {
    case 'invalid_type': {
      // A field left out arrives as undefined.
      if (i.input === undefined) return r('required');
      if (i.expected === 'number') return r('not_a_number');
      if (i.expected === 'int') return r('integer');
      const type = t(lang, `types.${String(i.expected)}`) ?? String(i.expected);
      return r('expected', { type });
    }
    case 'too_big': {
      const max = String(i.maximum);
      if (i.origin === 'string') return r('at_most_chars', { max });
      if (i.origin === 'array' || i.origin === 'set') return r('at_most_items', { max });
      return r(i.inclusive === false ? 'below' : 'at_most', { max });
    }
    case 'too_small': {
      const min = String(i.minimum);
      if (i.origin === 'string')
        return Number(i.minimum) <= 1 ? r('not_empty') : r('at_least_chars', { min });
      if (i.origin === 'array' || i.origin === 'set') return r('at_least_items', { min });
      return r(i.inclusive === false ? 'above' : 'at_least', { min });
    }
    case 'invalid_value':
      return r('one_of', {
        values: ((i.values as unknown[]) ?? []).map(String).join(lang === 'en' ? ', ' : '、'),
      });
    case 'invalid_format':
      if (i.format === 'datetime') return r('format_datetime');
      if (i.format === 'date') return r('format_date');
      return r('format');
    case 'not_multiple_of':
      return r('integer');
    case 'unrecognized_keys':
      return r('unknown_fields', { keys: ((i.keys as string[]) ?? []).join(', ') });
    default:
      return r('invalid');
  }
}

/** The error map zod uses for input at the edge: the rule in plain English words. */
export const plainRules = (issue: z.core.$ZodRawIssue): string => ruleOf(issue, 'en');
