import { describe, expect, it } from 'vitest';
import { SpecGroupSchema } from '@roomhub/shared-types';
import { specsOf, specsText } from './specs-text';

describe('an item’s specs as the owner types them', () => {
  it('reads one spec a line, a price change in yuan after a choice', () => {
    const specs = specsOf('杯型: 中杯, 大杯+5\n温度：热，冰\n\n加料: 珍珠+2.5, 少冰-1');
    expect(specs).toEqual([
      {
        name: '杯型',
        kind: 'other',
        choices: [
          { name: '中杯', priceDelta: 0 },
          { name: '大杯', priceDelta: 500 },
        ],
        defaultChoice: '中杯',
      },
      {
        name: '温度',
        kind: 'other',
        choices: [
          { name: '热', priceDelta: 0 },
          { name: '冰', priceDelta: 0 },
        ],
        defaultChoice: '热',
      },
      {
        name: '加料',
        kind: 'other',
        choices: [
          { name: '珍珠', priceDelta: 250 },
          { name: '少冰', priceDelta: -100 },
        ],
        defaultChoice: '珍珠',
      },
    ]);
    for (const s of specs) expect(SpecGroupSchema.parse(s)).toEqual(s);
  });

  it('writes them back as it reads them', () => {
    const text = '杯型: 中杯, 大杯+5\n加料: 珍珠+2.5, 少冰-1';
    expect(specsText(specsOf(text))).toBe(text);
    expect(specsOf('')).toEqual([]);
  });

  it('keeps what an edited spec was: its kind and its default while still offered', () => {
    const before = [
      {
        name: '杯型',
        kind: 'size' as const,
        choices: [
          { name: '中杯', priceDelta: 0 },
          { name: '大杯', priceDelta: 500 },
        ],
        defaultChoice: '大杯',
      },
    ];
    expect(specsOf('杯型: 中杯, 大杯+6', before)[0]).toMatchObject({
      kind: 'size',
      defaultChoice: '大杯',
    });
    expect(specsOf('杯型: 小杯, 中杯', before)[0]).toMatchObject({
      kind: 'size',
      defaultChoice: '小杯',
    });
  });
});
