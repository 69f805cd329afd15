// The voucher platforms' settings from the environment (the README's configuration table): our
// app's credentials on each platform, where its API and its authorise page are (the real ones
// unless said; the launcher points them at the local simulators), and the undo windows. A
// platform without credentials is left out: its vouchers answer `platform_unavailable`.
import type { VoucherPlatformsConfig } from './platform-voucher-setup';

type Env = Record<string, string | undefined>;

const minutes = (env: Env, name: string): number | undefined => {
  const value = env[name];
  if (value === undefined || value === '') return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0)
    throw new Error(`${name} must be a number of minutes, got ${value}`);
  return n * 60_000;
};

/** Throws, naming the setting, when one is half given (a key without its secret). */
export function voucherPlatformsFromEnv(env: Env): VoucherPlatformsConfig {
  const config: VoucherPlatformsConfig = {};
  const pair = (a: string, b: string) => {
    if (!env[a] !== !env[b]) throw new Error(`set both ${a} and ${b}, or neither`);
    return Boolean(env[a]);
  };
  if (pair('MEITUAN_DEVELOPER_ID', 'MEITUAN_SIGN_KEY')) {
    const undoWindowMs = minutes(env, 'MEITUAN_UNDO_MINUTES');
    config.meituan = {
      apiUrl: env.MEITUAN_API_URL || 'https://api-open-cater.meituan.com',
      authUrl: env.MEITUAN_AUTH_URL || 'https://open-erp.meituan.com/general/auth',
      developerId: env.MEITUAN_DEVELOPER_ID!,
      signKey: env.MEITUAN_SIGN_KEY!,
      ...(env.MEITUAN_BUSINESS_ID ? { businessId: env.MEITUAN_BUSINESS_ID } : {}),
      ...(undoWindowMs !== undefined ? { undoWindowMs } : {}),
    };
  }
  if (pair('DOUYIN_CLIENT_KEY', 'DOUYIN_CLIENT_SECRET')) {
    const undoWindowMs = minutes(env, 'DOUYIN_UNDO_MINUTES');
    config.douyin = {
      apiUrl: env.DOUYIN_API_URL || 'https://open.douyin.com',
      authUrl: env.DOUYIN_AUTH_URL || 'https://open.douyin.com/platform/oauth/connect/',
      clientKey: env.DOUYIN_CLIENT_KEY!,
      clientSecret: env.DOUYIN_CLIENT_SECRET!,
      ...(undoWindowMs !== undefined ? { undoWindowMs } : {}),
    };
  }
  return config;
}

/** One line for the start's summary: which platforms are configured, and where. */
export function describeVoucherPlatforms(config: VoucherPlatformsConfig): string {
  const parts = [
    ...(config.meituan ? [`Meituan ${config.meituan.apiUrl}`] : []),
    ...(config.douyin ? [`Douyin ${config.douyin.apiUrl}`] : []),
  ];
  return parts.length
    ? parts.join(', ')
    : 'no platform configured (MEITUAN_DEVELOPER_ID / DOUYIN_CLIENT_KEY and their secrets)';
}
