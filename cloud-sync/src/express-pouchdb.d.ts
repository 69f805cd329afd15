// express-pouchdb ships no types; this is the part of its factory the embedded server uses.
declare module 'express-pouchdb' {
  import type { IncomingMessage, ServerResponse } from 'node:http';

  interface ExpressPouchDBOptions {
    mode?: 'fullCouchDB' | 'minimumForPouchDB' | 'custom';
    overrideMode?: { include?: string[]; exclude?: string[] };
    inMemoryConfig?: boolean;
    configPath?: string;
    logPath?: string;
  }

  type ExpressPouchDBApp = (req: IncomingMessage, res: ServerResponse) => void;

  export default function expressPouchDB(
    PouchDB: unknown,
    options?: ExpressPouchDBOptions,
  ): ExpressPouchDBApp;
}
