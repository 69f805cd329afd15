// Stand-ins for the network and for Apache CouchDB that tests and benches of other packages use
// beside the embedded server: a TCP proxy that cuts and heals a line, a `_db_updates` feed, a
// store's databases and users as provisioning makes them, and a server frozen mid-answer.
export { startTcpProxy, type TcpProxy } from './tcp-proxy';
export { startDbUpdatesFeed, type DbUpdatesFeed } from './db-updates-feed';
export { grantStore, type StoreGrant } from './store-access';
export { garbageCollector, startFrozenAnswer, type FrozenAnswer } from './frozen-answer';
