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

  type ExpressPouchDBApp = ((req: IncomingMessage, res: ServerResponse) => void) & {
    /** Wraps a database as express-pouchdb serves it (`_security`, validation); once per handle. */
    dbWrapper: {
      wrap(name: string, db: unknown): Promise<unknown>;
      /** Adds a wrapping step; steps run in the order registered, after express-pouchdb's own. */
      registerWrapper(wrapper: (name: string, db: unknown, next: () => void) => unknown): void;
    };
  };

  export default function expressPouchDB(
    PouchDB: unknown,
    options?: ExpressPouchDBOptions,
  ): ExpressPouchDBApp;
}

// The one cache of open databases express-pouchdb serves from; the gate reads `_security` there.
declare module 'express-pouchdb/lib/create-or-delete-dbs.js' {
  export function getOrCreateDB(PouchDB: unknown, name: string): Promise<unknown>;
}
