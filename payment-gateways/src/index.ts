// Online payment gateways' clients: what the hub's channels and the cloud's holds move money
// through. The simulator is its own entry point, `@roomhub/payment-gateways/simulator`.
export {
  ChannelError,
  type ChargeNotification,
  type ChargeRequest,
  type ChargeStatus,
  type ChargeTicket,
  type CloseResult,
  type CodeChargeRequest,
  type CodeChargeResult,
  type RefundRequest,
  type RefundResult,
  type ReverseResult,
} from './charges';
export {
  SIGNATURE_TOLERANCE_MS,
  WechatPayChannel,
  type MerchantCredentials,
  type WechatPayChannelOptions,
} from './wechat-channel';
export { AlipayChannel, type AlipayChannelOptions } from './alipay-channel';
export {
  UnionPayChannel,
  unionPaySigningText,
  type UnionPayChannelOptions,
} from './unionpay-channel';
