// One statistics table as a CSV file the owner opens in a spreadsheet: a byte-order mark so Excel
// reads the Chinese right, the header row in zh-CN, money in yuan with two decimals, shares as
// percentages. Pure: the hub's statistics and the cloud's owner view count the figures and the
// hub audits its exports; both write the same file from here.
import type {
  BookingStatusRow,
  CampaignRow,
  DealRow,
  HeatCell,
  MemberDayRow,
  ProductRow,
  RefundsTable,
  RevenueChannel,
  RevenueDayRow,
  RevenueTable,
  RoomHoursRow,
  SlotRow,
  WalletTable,
} from './stats';

/** A spreadsheet cell: quoted when it must be, and text a spreadsheet would run as a formula made plain. */
function cell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  let s = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

export type StatsTableData =
  | { table: 'revenue'; data: RevenueTable }
  | { table: 'revenue_by_day'; data: RevenueDayRow[] }
  | { table: 'bookings'; data: BookingStatusRow[] }
  | { table: 'rooms'; data: RoomHoursRow[] }
  | { table: 'heatmap'; data: HeatCell[] }
  | { table: 'slots'; data: SlotRow[] }
  | { table: 'products'; data: ProductRow[] }
  | { table: 'deals'; data: DealRow[] }
  | { table: 'wallet'; data: WalletTable }
  | { table: 'members'; data: MemberDayRow[] }
  | { table: 'campaigns'; data: CampaignRow[] }
  | { table: 'refunds'; data: RefundsTable };

/** Fen as yuan with two decimals; empty where a figure does not apply. */
const yuan = (fen: number | null) => (fen === null ? '' : (fen / 100).toFixed(2));
const percent = (share: number) => `${(share * 100).toFixed(1)}%`;

const CHANNEL: Record<RevenueChannel, string> = {
  wechat: '微信支付',
  alipay: '支付宝',
  unionpay: '银联',
  cash: '现金',
  wallet: '储值余额',
  points: '积分',
  meituan: '美团',
  douyin: '抖音',
  own_deal: '本店团购',
  cloud: '线上支付',
};

const BOOKING_STATUS: Record<string, string> = {
  pending_payment: '待支付',
  paid: '已支付',
  in_use: '使用中',
  completed: '已完成',
  cancelled: '已取消',
  refunding: '退款中',
  refunded: '已退款',
};

const PURPOSE: Record<string, string> = {
  cancel: '取消预订',
  approved: '退款申请通过',
  change: '改期退差价',
  late_payment: '取消后到账的付款',
  overpaid: '多付退回',
  no_show: '未到店退款',
  early_end: '提前结束',
  staff: '店员退款',
  order: '茶点订单退款',
};

const SOURCE: Record<string, string> = { own: '本店', meituan: '美团', douyin: '抖音' };

const TOP_UP_METHOD: Record<string, string> = {
  cash: '现金',
  wechat: '微信支付',
  alipay: '支付宝',
  unionpay: '银联',
  cloud: '线上支付',
  moved: '从其他门店转入',
};

const WEEKDAY = ['周一', '周二', '周三', '周四', '周五', '周六', '周日'];

const CAMPAIGN_KIND: Record<string, string> = {
  new_user: '新客券',
  birthday: '生日券',
  referral: '推荐有礼',
  level: '会员等级券',
  manual: '手动发放',
  claim: '领券活动',
};

const CAMPAIGN_STATUS: Record<string, string> = {
  active: '进行中',
  paused: '已暂停',
  ended: '已结束',
};

type Cell = string | number | null;

function lines(t: StatsTableData): { header: string[]; rows: Cell[][] } {
  switch (t.table) {
    case 'revenue':
      return {
        header: [
          '渠道',
          '预订收入(元)',
          '茶点收入(元)',
          '退款(元)',
          '净收入(元)',
          '券面值(元)',
          '平台结算(元)',
        ],
        rows: [
          ...t.data.rows.map((r) => [
            CHANNEL[r.channel],
            yuan(r.bookings),
            yuan(r.orders),
            yuan(r.refunded),
            yuan(r.net),
            yuan(r.faceValue),
            yuan(r.settled),
          ]),
          [
            '合计',
            yuan(t.data.total.bookings),
            yuan(t.data.total.orders),
            yuan(t.data.total.refunded),
            yuan(t.data.total.net),
            '',
            '',
          ],
        ],
      };
    case 'revenue_by_day':
      return {
        header: ['日期', '收入(元)', '退款(元)', '净收入(元)'],
        rows: t.data.map((r) => [r.date, yuan(r.received), yuan(r.refunded), yuan(r.net)]),
      };
    case 'bookings':
      return {
        header: ['状态', '预订数', '金额(元)'],
        rows: t.data.map((r) => [BOOKING_STATUS[r.status] ?? r.status, r.count, yuan(r.total)]),
      };
    case 'rooms':
      return {
        header: ['房间', '预订数', '使用小时', '使用率'],
        rows: t.data.map((r) => [r.roomName, r.bookings, r.hours.toFixed(2), percent(r.share)]),
      };
    case 'heatmap':
      return {
        header: ['星期', '时段', '占用率'],
        rows: t.data.map((c) => [
          WEEKDAY[c.weekday - 1]!,
          `${String(c.hour).padStart(2, '0')}:00`,
          percent(c.share),
        ]),
      };
    case 'slots':
      return {
        header: ['开始时段', '预订数', '小时'],
        rows: t.data.map((r) => [r.start, r.bookings, r.hours.toFixed(2)]),
      };
    case 'products':
      return {
        header: ['商品', '销量', '销售额(元)'],
        rows: t.data.map((r) => [r.name, r.quantity, yuan(r.revenue)]),
      };
    case 'deals':
      return {
        header: ['来源', '团购', '核销数', '券面值(元)', '结算金额(元)'],
        rows: t.data.map((r) => [
          SOURCE[r.source] ?? r.source,
          r.dealTitle,
          r.redeemed,
          yuan(r.faceValue),
          yuan(r.settled),
        ]),
      };
    case 'wallet':
      return {
        header: ['充值方式', '笔数', '本金(元)', '赠送(元)'],
        rows: [
          ...t.data.topUps.map((r) => [
            TOP_UP_METHOD[r.method] ?? r.method,
            r.count,
            yuan(r.principal),
            yuan(r.bonus),
          ]),
          [
            '当前储值余额',
            t.data.owed.wallets,
            yuan(t.data.owed.principal),
            yuan(t.data.owed.bonus),
          ],
        ],
      };
    case 'members':
      return {
        header: ['日期', '新增会员', '会员总数'],
        rows: t.data.map((r) => [r.date, r.joined, r.total]),
      };
    case 'campaigns':
      return {
        header: [
          '活动',
          '类型',
          '状态',
          '发放',
          '领取',
          '积分兑换',
          '兑换积分',
          '已使用',
          '带来收入(元)',
          '新客',
          '优惠成本(元)',
        ],
        rows: t.data.map((r) => [
          r.name,
          CAMPAIGN_KIND[r.kind] ?? r.kind,
          CAMPAIGN_STATUS[r.status] ?? r.status,
          r.issued,
          r.claimed,
          r.exchanged,
          r.points,
          r.used,
          yuan(r.revenue),
          r.newMembers,
          yuan(r.cost),
        ]),
      };
    case 'refunds':
      return {
        header: ['退款原因', '笔数', '金额(元)'],
        rows: [
          ...t.data.rows.map((r) => [PURPOSE[r.purpose] ?? r.purpose, r.count, yuan(r.amount)]),
          ['顾客取消预订', t.data.cancellations.customer, ''],
          ['店员取消预订', t.data.cancellations.staff, ''],
          ['系统取消预订(超时未付等)', t.data.cancellations.system, ''],
        ],
      };
  }
}

/** A figure as written (a refund-heavy day's net is negative, not a formula); text made safe. */
const figure = (v: Cell) => (typeof v === 'string' && /^-?\d+(\.\d+)?%?$/.test(v) ? v : cell(v));

/** The file's text and how many rows it holds under its header. */
export function statsCsv(t: StatsTableData): { csv: string; rows: number } {
  const { header, rows } = lines(t);
  const text = [header, ...rows].map((r) => r.map(figure).join(',')).join('\r\n');
  return { csv: `\uFEFF${text}\r\n`, rows: rows.length };
}
