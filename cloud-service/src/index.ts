// The cloud service: the customer API and the owner's remote view over CouchDB.
export { createCloudApp, type CloudApp, type CloudAppOptions } from './app';
export {
  startCloudService,
  type CloudService,
  type CloudServiceOptions,
  type SweepResult,
} from './service';
export type { FollowPass } from './follower';
export {
  PaymentChannelError,
  SimulatedCloudChannel,
  type CloudPaymentChannel,
  type PaymentRecord,
  type PaymentState,
} from './payment-channel';
export { MemorySmsProvider, type SmsProvider } from './sms';
export { SimulatedWechatLogin, type WechatLogin } from './wechat';
export { customerIdForOpenid, customerIdForPhone } from './tokens';
export { putOwnerAccount } from './owners';
export { OFFLINE_MESSAGE } from './intents';
export { haversineKm } from './catalogue';
