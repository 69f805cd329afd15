// cloud-sync: the hub's side of the cloud. The replicator, the check that an intent is the cloud's,
// and the embedded CouchDB-compatible server; the documents they carry are defined in shared-types
// (the cloud service reads them too).
export * from './replicator';
export { IntentKeys } from './intent-keys';
export { CloudPlatformVouchers, type CloudPlatformVouchersOptions } from './platform-vouchers';
export { CloudVoucherMoves, type CloudVoucherMovesOptions } from './voucher-moves';
export { CloudDealStock } from './deal-stock';
export { CloudWalletMoves } from './wallet-moves';
export { CloudChats } from './chats';
export { CloudStoreInbox } from './store-inbox';
export { CloudReviews } from './reviews';
export { CloudCalls, type CloudCallOptions, type CloudAnswer } from './cloud-calls';
export {
  startEmbeddedCouch,
  type EmbeddedCouch,
  type EmbeddedCouchOptions,
} from './embedded-couch';
