// The few pieces of CouchDB's HTTP wire format that the embedded server's own endpoints share:
// reading a request body with a limit, and the `{ error, reason }` answer. No decisions here.
import type { IncomingMessage, ServerResponse } from 'node:http';

export function couchError(error: string, reason: string): { error: string; reason: string } {
  return { error, reason };
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body) + '\n');
}

/** Reads a request body of at most `limit` bytes; a larger one fails with status 413. */
export function readBody(req: IncomingMessage, limit = 64 * 1024 * 1024): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Uint8Array[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        reject(Object.assign(new Error('the request entity is too large'), { status: 413 }));
        req.destroy();
        return;
      }
      chunks.push(new Uint8Array(chunk));
    });
    req.on('error', reject);
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
}
