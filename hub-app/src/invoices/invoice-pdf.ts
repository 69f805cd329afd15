// The invoice PDFs the owner sends, kept as files in the hub's data folder (`invoices/`), never in
// the database (each checked first by shared-types' checkPdf). Reads and writes files only; which
// request a PDF belongs to is the invoice service's.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { notFound } from '@roomhub/shared-types';

export const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

export class InvoiceFiles {
  private readonly dir: string;

  constructor(dataDir: string) {
    this.dir = join(dataDir, 'invoices');
  }

  /** Writes the PDF under `name` whole or not at all (a half-written file is never served). */
  save(name: string, bytes: Buffer): void {
    mkdirSync(this.dir, { recursive: true });
    const tmp = join(this.dir, `.${name}.part`);
    writeFileSync(tmp, bytes);
    renameSync(tmp, join(this.dir, name));
  }

  read(name: string): Buffer {
    try {
      return readFileSync(join(this.dir, name));
    } catch {
      throw notFound('invoice_pdf', name);
    }
  }
}
