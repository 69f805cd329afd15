// Electronic invoices (发票, C15): a customer's request, recorded once from their intent; the
// owner's list of requests; issuing one with the PDF the tax bureau's system produced (its number
// and date as printed), or rejecting it with a reason. Owns `invoice_requests` and the PDFs in the
// data folder; every decision is audited in the same write, and marks the invoice's document for
// the cloud, which shows it (and the PDF) to the customer whose order it is. It never makes an
// invoice itself: the tax system does, the store only hands it on.
import {
  checkPdf,
  DomainError,
  formatInstant,
  invoiceDocId,
  INVOICE_PDF_NAME,
  InvoiceDocSchema,
  localDateOf,
  notFound,
  type Actor,
  type Clock,
  type InvoiceDoc,
  type InvoiceIssueQuery,
  type InvoiceList,
  type InvoiceStatus,
  type InvoiceTitle,
  type InvoiceView,
} from '@roomhub/shared-types';
import type { AuditLog } from '../audit/audit-log';
import type { BookingRow } from '../booking/booking-records';
import type { Db } from '../db/database';
import type { Outbox } from '../sync/outbox';
import { sha256, type InvoiceFiles } from './invoice-pdf';

export interface InvoiceServiceDeps {
  db: Db;
  clock: Clock;
  audit: AuditLog;
  outbox: Outbox;
  files: InvoiceFiles;
  timeZone: () => string;
  /** What the customer has paid for the booking less what was given back, fen. */
  netPaid: (bookingId: string) => number;
}

/** What a customer asks for, as the intent carries it. */
export interface InvoiceAskInput {
  requestId: string;
  customerId: string;
  title: InvoiceTitle;
  email?: string | undefined;
  amount: number;
}

interface Row {
  id: string;
  booking_id: string;
  customer_id: string;
  status: InvoiceStatus;
  title_kind: 'personal' | 'company';
  title_name: string;
  tax_id: string | null;
  email: string | null;
  amount: number;
  requested_at: number;
  number: string | null;
  issued_on: string | null;
  reject_reason: string | null;
  pdf_file: string | null;
  pdf_bytes: number | null;
  pdf_sha256: string | null;
  decided_at: number | null;
  decided_by: string | null;
  booking_number: string | null;
  booking_start: number | null;
  room_name: string | null;
  decided_by_name: string | null;
}

const SELECT = `
  SELECT i.*, b.number AS booking_number, b.start_at AS booking_start, r.name AS room_name,
         s.name AS decided_by_name
    FROM invoice_requests i
    LEFT JOIN bookings b ON b.id = i.booking_id
    LEFT JOIN rooms r ON r.id = b.room_id
    LEFT JOIN staff s ON s.id = i.decided_by`;

/** The statuses whose payment is settled: an invoice can be made out for them. */
const INVOICEABLE = ['paid', 'in_use', 'completed'];

const yuan = (fen: number) => (fen / 100).toFixed(2);

const titleOf = (r: Row): InvoiceTitle =>
  r.title_kind === 'company'
    ? { kind: 'company', name: r.title_name, taxId: r.tax_id ?? '' }
    : { kind: 'personal', name: r.title_name };

export class InvoiceService {
  constructor(private readonly d: InvoiceServiceDeps) {}

  /**
   * Records a customer's request for their booking, or refuses it with why: the booking is not
   * paid (or a refund of it is under review), one is already asked for or issued, the amount the
   * customer saw is no longer what was paid less refunded. Call inside the intent's write.
   */
  record(booking: BookingRow, ask: InvoiceAskInput): void {
    if (!INVOICEABLE.includes(booking.status)) {
      throw new DomainError(
        'conflict',
        'invoice_not_paid',
        booking.status === 'refunding'
          ? 'a refund of this booking is under review: ask for the invoice once it is settled'
          : `an invoice is made out for a paid booking; this one is ${booking.status}`,
      ).with({ status: booking.status });
    }
    const open = this.d.db
      .prepare(
        `SELECT status FROM invoice_requests WHERE booking_id = ? AND status IN ('waiting','issued')`,
      )
      .get(booking.id) as { status: InvoiceStatus } | undefined;
    if (open) {
      throw new DomainError(
        'conflict',
        'invoice_already_asked',
        open.status === 'issued'
          ? 'the invoice for this booking is already issued: download it from the order'
          : 'an invoice for this booking is already asked for; the store is making it out',
      ).with({ status: open.status });
    }
    const amount = this.d.netPaid(booking.id);
    if (amount <= 0) {
      throw new DomainError(
        'conflict',
        'invoice_nothing_paid',
        'nothing is left paid for this booking to make an invoice out for',
      );
    }
    if (amount !== ask.amount) {
      throw new DomainError(
        'conflict',
        'invoice_amount_changed',
        `the amount paid less refunds is now ¥${yuan(amount)}, not ¥${yuan(ask.amount)}; ask again`,
      ).with({ amount: yuan(amount) });
    }
    this.d.db
      .prepare(
        `INSERT INTO invoice_requests (id, booking_id, customer_id, status, title_kind, title_name,
           tax_id, email, amount, requested_at)
         VALUES (?, ?, ?, 'waiting', ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        ask.requestId,
        booking.id,
        ask.customerId,
        ask.title.kind,
        ask.title.name,
        ask.title.kind === 'company' ? ask.title.taxId : null,
        ask.email ?? null,
        amount,
        this.d.clock.now(),
      );
    this.d.outbox.mark(invoiceDocId(ask.requestId));
  }

  list(status?: InvoiceStatus): InvoiceList {
    const rows = (
      status
        ? this.d.db.prepare(`${SELECT} WHERE i.status = ? ORDER BY i.requested_at DESC`).all(status)
        : this.d.db.prepare(`${SELECT} ORDER BY i.requested_at DESC`).all()
    ) as Row[];
    const counts = { waiting: 0, issued: 0, rejected: 0 };
    for (const c of this.d.db
      .prepare('SELECT status, COUNT(*) AS n FROM invoice_requests GROUP BY status')
      .all() as { status: InvoiceStatus; n: number }[]) {
      counts[c.status] = c.n;
    }
    return { invoices: rows.map((r) => this.view(r)), counts };
  }

  get(id: string): InvoiceView {
    return this.view(this.row(id));
  }

  /**
   * Sends the invoice the tax system made: its PDF (checked to be a whole PDF), number and date.
   * Only a waiting request; a number is never used twice; the date is not before the request nor
   * after today. The file is written before the row names it.
   */
  issue(id: string, q: InvoiceIssueQuery, pdf: Buffer, actor: Actor): InvoiceView {
    const row = this.waiting(id);
    checkPdf(pdf);
    const tz = this.d.timeZone();
    const today = localDateOf(this.d.clock.now(), tz);
    const asked = localDateOf(row.requested_at, tz);
    if (q.issuedOn > today || q.issuedOn < asked) {
      throw new DomainError(
        'invalid',
        'invoice_date_out_of_range',
        `the invoice date must be between the request (${asked}) and today (${today})`,
        'issuedOn',
      ).with({ from: asked, to: today });
    }
    const used = this.d.db
      .prepare('SELECT id FROM invoice_requests WHERE number = ?')
      .get(q.number) as { id: string } | undefined;
    if (used) {
      throw new DomainError(
        'conflict',
        'invoice_number_used',
        `invoice number ${q.number} is already on another request; check the number`,
        'number',
      ).with({ number: q.number });
    }
    const file = `${row.id}.pdf`;
    const digest = sha256(pdf);
    this.d.files.save(file, pdf);
    this.d.db
      .prepare(
        `UPDATE invoice_requests SET status = 'issued', number = ?, issued_on = ?, pdf_file = ?,
           pdf_bytes = ?, pdf_sha256 = ?, decided_at = ?, decided_by = ?
         WHERE id = ? AND status = 'waiting'`,
      )
      .run(q.number, q.issuedOn, file, pdf.length, digest, this.d.clock.now(), actor.id, row.id);
    this.d.audit.record({
      actor,
      action: 'invoice.issue',
      target: row.id,
      before: { status: 'waiting' },
      after: {
        status: 'issued',
        bookingId: row.booking_id,
        number: q.number,
        issuedOn: q.issuedOn,
        amount: row.amount,
        pdf: { bytes: pdf.length, sha256: digest },
      },
    });
    this.d.outbox.mark(invoiceDocId(row.id));
    return this.get(row.id);
  }

  /** Turns a waiting request down with the reason the customer is told; they may ask again. */
  reject(id: string, reason: string, actor: Actor): InvoiceView {
    const row = this.waiting(id);
    this.d.db
      .prepare(
        `UPDATE invoice_requests SET status = 'rejected', reject_reason = ?, decided_at = ?,
           decided_by = ? WHERE id = ? AND status = 'waiting'`,
      )
      .run(reason, this.d.clock.now(), actor.id, row.id);
    this.d.audit.record({
      actor,
      action: 'invoice.reject',
      target: row.id,
      before: { status: 'waiting' },
      after: { status: 'rejected', bookingId: row.booking_id, reason },
    });
    this.d.outbox.mark(invoiceDocId(row.id));
    return this.get(row.id);
  }

  /** An issued invoice's PDF, for staff. */
  pdf(id: string): { bytes: Buffer; fileName: string } {
    const row = this.row(id);
    if (row.status !== 'issued' || !row.pdf_file) throw notFound('invoice_pdf', id, 'id');
    return { bytes: this.d.files.read(row.pdf_file), fileName: `invoice-${row.number}.pdf` };
  }

  /**
   * The invoice's document for the cloud: an issued one carries its PDF as the attachment (at most
   * the upload limit, so the document stays bounded). Null when there is no such request.
   */
  document(id: string, storeId: string): (InvoiceDoc & { _attachments?: object }) | null {
    const r = this.d.db.prepare(`${SELECT} WHERE i.id = ?`).get(id) as Row | undefined;
    if (!r) return null;
    const tz = this.d.timeZone();
    const at = (ms: number) => formatInstant(ms, tz);
    const doc = InvoiceDocSchema.parse({
      _id: invoiceDocId(r.id),
      type: 'invoice',
      storeId,
      requestId: r.id,
      bookingId: r.booking_id,
      customerId: r.customer_id,
      status: r.status,
      title: titleOf(r),
      ...(r.email ? { email: r.email } : {}),
      amount: r.amount,
      requestedAt: at(r.requested_at),
      ...(r.number ? { number: r.number } : {}),
      ...(r.issued_on ? { issuedOn: r.issued_on } : {}),
      ...(r.reject_reason ? { reason: r.reject_reason } : {}),
      ...(r.decided_at !== null ? { decidedAt: at(r.decided_at) } : {}),
      ...(r.pdf_bytes !== null && r.pdf_sha256
        ? { pdf: { bytes: r.pdf_bytes, sha256: r.pdf_sha256 } }
        : {}),
      updatedAt: at(this.d.clock.now()),
    });
    if (r.status !== 'issued' || !r.pdf_file) return doc;
    const bytes = this.d.files.read(r.pdf_file);
    return {
      ...doc,
      _attachments: {
        [INVOICE_PDF_NAME]: { content_type: 'application/pdf', data: bytes.toString('base64') },
      },
    };
  }

  private row(id: string): Row {
    const r = this.d.db.prepare(`${SELECT} WHERE i.id = ?`).get(id) as Row | undefined;
    if (!r) throw notFound('invoice', id, 'id');
    return r;
  }

  private waiting(id: string): Row {
    const r = this.row(id);
    if (r.status !== 'waiting') {
      throw new DomainError(
        'conflict',
        'invoice_decided',
        r.status === 'issued'
          ? 'this invoice is already issued'
          : 'this request was rejected; the customer may ask again',
      ).with({ status: r.status });
    }
    return r;
  }

  private view(r: Row): InvoiceView {
    const tz = this.d.timeZone();
    const at = (ms: number) => formatInstant(ms, tz);
    return {
      id: r.id,
      bookingId: r.booking_id,
      bookingNumber: r.booking_number,
      roomName: r.room_name ?? '',
      bookingStart: r.booking_start !== null ? at(r.booking_start) : '',
      status: r.status,
      title: titleOf(r),
      email: r.email,
      amount: r.amount,
      requestedAt: at(r.requested_at),
      number: r.number,
      issuedOn: r.issued_on,
      rejectReason: r.reject_reason,
      decidedAt: r.decided_at !== null ? at(r.decided_at) : null,
      decidedBy: r.decided_by_name ?? r.decided_by,
      pdfBytes: r.pdf_bytes,
    };
  }
}
