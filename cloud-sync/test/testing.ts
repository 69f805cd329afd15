// Stand-ins for the network and for Apache CouchDB that tests and benches of other packages use
// beside the embedded server: a TCP proxy that cuts and heals a line, and a `_db_updates` feed.
export { startTcpProxy, type TcpProxy } from './tcp-proxy';
export { startDbUpdatesFeed, type DbUpdatesFeed } from './db-updates-feed';
