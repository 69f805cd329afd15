// An item's specs as the owner types them, one a line (`杯型: 中杯, 大杯+5`: a choice with +5
// adds 5 yuan), and back. Pure; the hub checks the specs it is sent.
import type { SpecGroup } from '@roomhub/shared-types';

/**
 * `杯型: 中杯, 大杯+5` -> a spec whose second choice adds 5 yuan. A spec the item had before keeps
 * its kind and its default choice while that choice is still offered; a new one starts at its
 * first choice.
 */
export function specsOf(text: string | undefined, before: SpecGroup[] = []): SpecGroup[] {
  return (text ?? '')
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .map((line) => {
      const [name, rest = ''] = line.split(/[:：]/, 2) as [string, string?];
      const choices = rest
        .split(/[,，]/)
        .map((c) => c.trim())
        .filter(Boolean)
        .map((c) => {
          const m = /^(.*?)([+-]\d+(?:\.\d{1,2})?)$/.exec(c);
          return m
            ? { name: m[1]!.trim(), priceDelta: Math.round(Number(m[2]) * 100) }
            : { name: c, priceDelta: 0 };
        });
      const old = before.find((g) => g.name === name.trim());
      const keep = old?.defaultChoice && choices.some((c) => c.name === old.defaultChoice);
      return {
        name: name.trim(),
        kind: old?.kind ?? 'other',
        choices,
        defaultChoice: keep ? old.defaultChoice : (choices[0]?.name ?? null),
      };
    });
}

export const specsText = (s: SpecGroup[]) =>
  s
    .map(
      (g) =>
        `${g.name}: ${g.choices.map((c) => (c.priceDelta ? `${c.name}${c.priceDelta > 0 ? '+' : ''}${c.priceDelta / 100}` : c.name)).join(', ')}`,
    )
    .join('\n');
