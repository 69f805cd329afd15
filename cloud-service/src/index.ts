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
} from './payments/payment-channel';
export { MemorySmsProvider, type SmsProvider } from './auth/sms';
export { SimulatedWechatLogin, type WechatLogin } from './auth/wechat';
export { customerIdForOpenid, customerIdForPhone } from '@roomhub/shared-types';
export { putOwnerAccount } from './auth/owners';
export { Provisioner, type Provisioned, type ProvisionOptions } from './provision/provisioner';
export { createCouchClient, type CouchClient } from './couch';
export { OFFLINE_MESSAGE } from './intents/intents';
export { PlatformAuth } from './platform/platform-auth';
export { haversineKm } from './stores/store-list';
export {
  startMeituanSimulator,
  type MeituanSimulator,
  type MeituanDemoCodes,
} from './vouchers/simulators/meituan-simulator';
export {
  startDouyinSimulator,
  type DouyinSimulator,
  type DouyinDemoCodes,
} from './vouchers/simulators/douyin-simulator';
