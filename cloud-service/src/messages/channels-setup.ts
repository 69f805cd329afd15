// Where messages are sent, from the environment: `CLOUD_SMS` (JSON: endpoint, accessKeyId,
// accessKeySecret, signName, templateCodes by kind) for Alibaba Cloud's SMS service and
// `CLOUD_WECHAT_SUBSCRIBE` (JSON: appId, appSecret, templateIds by kind, endpoint optional) for
// WeChat subscribe messages. Either unset, its simulator runs on a local port instead (printed at
// start), speaking the same protocol with the same checks, so `npm start` needs no account.
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import {
  CUSTOMER_MESSAGE_KINDS,
  MESSAGE_TEMPLATES,
  MessageKindSchema,
  type CustomerMessageKind,
  type MessageKind,
} from '@roomhub/shared-types';
import { AliyunSmsSimulator } from './aliyun-sms';
import type { MessageChannels } from './messages';
import { WechatSubscribeClient, WechatSubscribeSimulator } from './wechat-subscribe';

const SmsSettingsSchema = z.object({
  endpoint: z.string().url().default('https://dysmsapi.aliyuncs.com/'),
  accessKeyId: z.string().min(1),
  accessKeySecret: z.string().min(1),
  signName: z.string().min(1),
  templateCodes: z.record(MessageKindSchema, z.string().regex(/^SMS_\d+$/)),
});
const WechatSettingsSchema = z.object({
  endpoint: z.string().url().default('https://api.weixin.qq.com'),
  appId: z.string().min(1),
  appSecret: z.string().min(1),
  templateIds: z.record(z.enum(CUSTOMER_MESSAGE_KINDS), z.string().min(1)),
});

/** The template codes the simulator approves: one per kind, as the console would number them. */
export const SIMULATED_TEMPLATE_CODES = Object.fromEntries(
  Object.keys(MESSAGE_TEMPLATES).map((k, i) => [k, `SMS_${465321000 + i}`]),
) as Record<MessageKind, string>;
const SIMULATED_TEMPLATE_IDS = Object.fromEntries(
  CUSTOMER_MESSAGE_KINDS.map((k) => [k, `sim-${k}`]),
) as Record<CustomerMessageKind, string>;

export interface MessageChannelSetup {
  channels: MessageChannels;
  /** The token the SMS service's reply push carries. */
  pushToken: string;
  /** Once the cloud listens: tells the SMS simulator where to push replies. */
  listening(cloudUrl: string): void;
  describe: string[];
  stop(): Promise<void>;
}

function parseSetting<T>(name: string, raw: string, schema: z.ZodType<T>): T {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw new Error(`${name} must be JSON`);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`${name}.${issue.path.join('.')}: ${issue.message}`);
  }
  return parsed.data;
}

export async function setUpMessageChannels(
  env: NodeJS.ProcessEnv,
  onSimulatedSms: (phone: string, text: string) => void,
): Promise<MessageChannelSetup> {
  const stops: (() => Promise<void>)[] = [];
  const describe: string[] = [];
  const pushToken = env.CLOUD_SMS_PUSH_TOKEN ?? randomBytes(18).toString('base64url');
  let simulator: AliyunSmsSimulator | undefined;

  let sms: MessageChannels['sms'];
  if (env.CLOUD_SMS) {
    const s = parseSetting('CLOUD_SMS', env.CLOUD_SMS, SmsSettingsSchema);
    const missing = MessageKindSchema.options.filter((k) => !s.templateCodes[k]);
    if (missing.length)
      throw new Error(`CLOUD_SMS.templateCodes: no template for ${missing.join(', ')}`);
    sms = { config: s, templateCodes: s.templateCodes as Record<MessageKind, string> };
    describe.push(`SMS ${new URL(s.endpoint).host} as 【${s.signName}】`);
  } else {
    const key = { accessKeyId: 'LTAI-sim', accessKeySecret: randomBytes(18).toString('hex') };
    simulator = new AliyunSmsSimulator(
      key,
      '茶隐',
      new Map(
        Object.entries(MESSAGE_TEMPLATES).map(([k, t]) => [
          SIMULATED_TEMPLATE_CODES[k as MessageKind],
          t.body.replace(/\{(\w+)\}/g, '${$1}'),
        ]),
      ),
      onSimulatedSms,
    );
    const url = await simulator.start(Number(env.SMS_SIM_PORT ?? 0));
    stops.push(() => simulator!.stop());
    sms = {
      config: { endpoint: url, ...key, signName: '茶隐' },
      templateCodes: SIMULATED_TEMPLATE_CODES,
    };
    describe.push(`SMS simulated at ${url} (texts printed here)`);
  }

  let wechat: MessageChannels['wechat'];
  if (env.CLOUD_WECHAT_SUBSCRIBE) {
    const w = parseSetting(
      'CLOUD_WECHAT_SUBSCRIBE',
      env.CLOUD_WECHAT_SUBSCRIBE,
      WechatSettingsSchema,
    );
    const missing = CUSTOMER_MESSAGE_KINDS.filter((k) => !w.templateIds[k]);
    if (missing.length) {
      throw new Error(`CLOUD_WECHAT_SUBSCRIBE.templateIds: no template for ${missing.join(', ')}`);
    }
    wechat = {
      client: new WechatSubscribeClient(w),
      templateIds: w.templateIds as Record<CustomerMessageKind, string>,
    };
    describe.push(`WeChat subscribe messages as ${w.appId}`);
  } else {
    const app = { appId: 'wx-sim', appSecret: randomBytes(18).toString('hex') };
    const sim = new WechatSubscribeSimulator(
      app,
      new Map(
        CUSTOMER_MESSAGE_KINDS.map((k) => [
          SIMULATED_TEMPLATE_IDS[k],
          ['thing1', 'thing2', 'thing3'],
        ]),
      ),
    );
    const url = await sim.start(Number(env.WECHAT_SIM_PORT ?? 0));
    stops.push(() => sim.stop());
    wechat = {
      client: new WechatSubscribeClient({ endpoint: url, ...app }),
      templateIds: SIMULATED_TEMPLATE_IDS,
    };
    describe.push(`WeChat subscribe messages simulated at ${url}`);
  }

  return {
    channels: { sms, wechat },
    pushToken,
    listening(cloudUrl) {
      if (simulator) {
        simulator.replyUrl = `${cloudUrl}/api/messages/sms-replies?token=${encodeURIComponent(pushToken)}`;
      }
    },
    describe,
    async stop() {
      await Promise.allSettled(stops.map((s) => s()));
    },
  };
}
