// When a message or a line was written, as the customer reads it: today's time, or the date.
import { localDate } from '../components/store-time';

const ZONE = 'Asia/Shanghai';

export function storeDateTime(iso: string, now = Date.now()): string {
  const day = localDate(iso, ZONE);
  const time = new Intl.DateTimeFormat('zh-CN', {
    timeZone: ZONE,
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(new Date(iso));
  return day === localDate(new Date(now).toISOString(), ZONE) ? time : `${day.slice(5)} ${time}`;
}
