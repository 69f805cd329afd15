// The member list as a CSV file for the owner (O6): one member a line, spend in yuan, times in
// the store's zone. Phone numbers and birthdays are masked (138****8000, ****-05-17) unless the
// owner asked for them in full. A cell a spreadsheet would read as a formula is quoted as text.
// Pure: the member service reads the rows and audits the export.
import type { MemberView } from '@roomhub/shared-types';

const HEADER = [
  'phone',
  'name',
  'birthday',
  'level',
  'points',
  'wallet_yuan',
  'total_spend_yuan',
  'visits',
  'last_visit',
  'joined',
];

export const maskPhone = (phone: string) =>
  phone.length >= 7 ? `${phone.slice(0, 3)}****${phone.slice(-4)}` : '****';

export const maskBirthday = (birthday: string) => `****${birthday.slice(4)}`;

/** One cell: quoted when it holds a comma, a quote or a line break; a formula made text. */
export function cell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  let s = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

const yuan = (fen: number | undefined) => (fen === undefined ? '' : (fen / 100).toFixed(2));

/** The file's text, with a byte-order mark so a spreadsheet reads its Chinese names right. */
export function memberCsv(members: MemberView[], full: boolean): string {
  const lines = members.map((m) =>
    [
      full ? m.phone : maskPhone(m.phone),
      m.name,
      m.birthday === null ? null : full ? m.birthday : maskBirthday(m.birthday),
      m.level?.name ?? null,
      m.points,
      yuan(m.wallet),
      yuan(m.totalSpend),
      m.visits,
      m.lastVisitAt,
      m.joinedAt,
    ]
      .map(cell)
      .join(','),
  );
  return `\uFEFF${[HEADER.join(','), ...lines].join('\r\n')}\r\n`;
}
