// cloud-sync: the hub's side of the cloud. Sync documents, the replicator, the embedded server.
export * from './documents';
export * from './replicator';
export {
  startEmbeddedCouch,
  type EmbeddedCouch,
  type EmbeddedCouchOptions,
} from './embedded-couch';
export * from './cloud/index';
