// cloud-sync: the hub's side of the cloud. The replicator and the embedded CouchDB-compatible
// server; the documents they carry are defined in shared-types (the cloud service reads them too).
export * from './replicator';
export {
  startEmbeddedCouch,
  type EmbeddedCouch,
  type EmbeddedCouchOptions,
} from './embedded-couch';
