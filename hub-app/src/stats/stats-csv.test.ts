// A statistics table as a spreadsheet reads it: the byte-order mark, the zh-CN header, yuan with
// two decimals (a negative net stays a number), and a name that looks like a formula made text.
import { describe, expect, it } from 'vitest';
import { statsCsv } from './stats-csv';

describe('a statistics CSV', () => {
  it('writes money in yuan with a zh-CN header, and the total last', () => {
    const { csv, rows } = statsCsv({
      table: 'revenue',
      data: {
        rows: [
          {
            channel: 'meituan',
            bookings: 9900,
            orders: 0,
            refunded: 12000,
            net: -2100,
            faceValue: 17400,
            settled: 9405,
          },
        ],
        total: { bookings: 9900, orders: 0, refunded: 12000, net: -2100 },
      },
    });
    expect(csv.startsWith('\uFEFF渠道,预订收入(元),')).toBe(true);
    expect(csv.split('\r\n')).toEqual([
      '\uFEFF渠道,预订收入(元),茶点收入(元),退款(元),净收入(元),券面值(元),平台结算(元)',
      '美团,99.00,0.00,120.00,-21.00,174.00,94.05',
      '合计,99.00,0.00,120.00,-21.00,,',
      '',
    ]);
    expect(rows).toBe(2);
  });

  it('keeps a name a spreadsheet would run as a formula as text, and quotes commas', () => {
    const { csv } = statsCsv({
      table: 'products',
      data: [
        { itemId: 'a', name: '=HYPERLINK("x")', quantity: 3, revenue: 14400 },
        { itemId: 'b', name: '瓜子, 原味', quantity: 1, revenue: 1500 },
      ],
    });
    const lines = csv.split('\r\n');
    expect(lines[1]).toBe(`"'=HYPERLINK(""x"")",3,144.00`);
    expect(lines[2]).toBe('"瓜子, 原味",1,15.00');
  });

  it('names the heat map by weekday and hour, shares as percentages', () => {
    const { csv } = statsCsv({ table: 'heatmap', data: [{ weekday: 7, hour: 9, share: 0.125 }] });
    expect(csv.split('\r\n')[1]).toBe('周日,09:00,12.5%');
  });
});
