// How the orders page writes money and times. Pure.

/** Money in fen as yuan, two decimals. */
export const yuan = (fen: number) => `¥${(fen / 100).toFixed(2)}`;

/** A moment as the platform's staff read it (Shanghai time). */
export const when = (at: string) =>
  new Date(at).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false });

/** A slot as start–end, the end's date left out when it is the same day. */
export function slot(start: string, end: string): string {
  const a = when(start);
  const b = when(end);
  const [dayA] = a.split(' ');
  return b.startsWith(`${dayA} `) ? `${a} – ${b.slice(dayA!.length + 1)}` : `${a} – ${b}`;
}
