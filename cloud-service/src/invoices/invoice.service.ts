// A signed-in customer's electronic invoices (发票, C15): asking the store for one for a paid
// booking of theirs (an `invoice_request` intent the hub answers once), how each fared (the
// store's invoice document: waiting, issued, rejected), and the issued PDF, served only to the
// customer whose order it is. Applies the rules before it writes an intent (a booking made
// online and paid, one request at a time per booking, the amount paid less refunded); the hub
// still decides. Never writes a hub document.
import {
  DomainError,
  InvoiceDocSchema,
  invoiceDocId,
  INVOICE_PDF_NAME,
  notFound,
  storeDbName,
  storeInboxDbName,
  intentDocId,
  type BookingDoc,
  type CustomerInvoices,
  type CustomerInvoiceView,
  type InvoiceAsk,
  type InvoiceDoc,
  type IntentView,
} from '@roomhub/shared-types';
import { createHash } from 'node:crypto';
import { customerIds, type CustomerIdentity } from '../auth/tokens';
import type { CouchClient } from '../couch';
import { intentView, type IntentRecord, type IntentService } from '../intents/intents';
import type { CustomerOrders } from '../orders/orders';
import type { StoreZones } from '../stores/store-zones';

export interface CloudInvoicesDeps {
  couch: CouchClient;
  intents: IntentService;
  orders: CustomerOrders;
  zones: StoreZones;
  /** How long a request waits for the store's answer before it is answered as waiting. */
  waitMs: number;
}

const INVOICEABLE = ['paid', 'in_use', 'completed'];

const netPaid = (b: BookingDoc) => Math.max(0, b.totals.paid - b.totals.refunded);

export class CloudInvoices {
  constructor(private readonly d: CloudInvoicesDeps) {}

  /** The booking's invoice requests, newest first, and whether one may be asked for now. */
  async list(who: CustomerIdentity, bookingId: string): Promise<CustomerInvoices> {
    const { booking, requests } = await this.find(who, bookingId);
    const invoices = await this.views(booking, requests);
    const whyNot = this.whyNot(booking, invoices);
    return {
      invoices,
      amount: netPaid(booking),
      canAsk: whyNot === null,
      ...(whyNot ? { whyNot: whyNot.message } : {}),
    };
  }

  /**
   * Asks the store for an invoice of the booking, made out for what was paid less refunded. A
   * second request while one waits or was issued is refused here; a rejected one may be asked
   * again (a new intent, numbered after the ones before).
   */
  async ask(who: CustomerIdentity, bookingId: string, body: InvoiceAsk): Promise<IntentView> {
    const { booking, requests } = await this.find(who, bookingId);
    const refusal = this.whyNot(booking, await this.views(booking, requests));
    if (refusal) throw refusal;
    const customerId =
      booking.customerId !== undefined && customerIds(who).includes(booking.customerId)
        ? booking.customerId
        : who.customerId;
    const doc = await this.d.intents.submit({
      storeId: booking.storeId,
      by: { customerId },
      kind: 'invoice_request',
      bookingId: booking.bookingId,
      body: {
        bookingId: booking.bookingId,
        title: body.title,
        ...(body.email ? { email: body.email } : {}),
        amount: netPaid(booking),
      },
      intentId: `inv${requests.length + 1}-${booking.bookingId}`.slice(0, 100),
    });
    const answered = await this.d.intents.waitForAnswer(doc, this.d.waitMs);
    return intentView(answered, await this.d.zones.formatFor(answered.storeId));
  }

  /**
   * The issued invoice's PDF, for the customer whose order it is; anyone else is told there is no
   * such invoice (404), never whose it is. The bytes are checked against the size and SHA-256 the
   * store published with it.
   */
  async pdf(
    who: CustomerIdentity,
    bookingId: string,
    requestId: string,
  ): Promise<{ bytes: Buffer; fileName: string }> {
    const { booking, requests } = await this.find(who, bookingId);
    if (!requests.some((r) => r.intentId === requestId)) throw notFound('invoice', requestId);
    const doc = await this.invoiceDoc(booking.storeId, requestId);
    if (
      !doc ||
      doc.status !== 'issued' ||
      !doc.pdf ||
      doc.bookingId !== booking.bookingId ||
      !customerIds(who).includes(doc.customerId)
    ) {
      throw notFound('invoice', requestId);
    }
    const bytes = await this.d.couch.attachment(
      storeDbName(booking.storeId),
      invoiceDocId(requestId),
      INVOICE_PDF_NAME,
    );
    const digest = bytes ? createHash('sha256').update(bytes).digest('hex') : '';
    if (!bytes || bytes.length !== doc.pdf.bytes || digest !== doc.pdf.sha256) {
      throw new DomainError(
        'unavailable',
        'invoice_pdf_not_here_yet',
        'the invoice file has not fully reached us from the store yet; try again in a minute',
      );
    }
    return { bytes, fileName: `invoice-${doc.number ?? requestId}.pdf` };
  }

  /** The customer's booking (made online) and their invoice requests about it, oldest first. */
  private async find(who: CustomerIdentity, bookingId: string) {
    const order = await this.d.orders.find(customerIds(who), bookingId);
    if (!order) throw notFound('booking', bookingId, 'bookingId');
    const requests = (await this.d.intents.customer.aboutBooking(customerIds(who), bookingId))
      .filter((r) => r.kind === 'invoice_request')
      .reverse();
    return { booking: order.booking, requests };
  }

  private async invoiceDoc(storeId: string, requestId: string): Promise<InvoiceDoc | undefined> {
    const parsed = InvoiceDocSchema.safeParse(
      await this.d.couch.get(storeDbName(storeId), invoiceDocId(requestId)),
    );
    return parsed.success && parsed.data.storeId === storeId ? parsed.data : undefined;
  }

  /** Each request as the store last told it; one it has not answered yet is waiting. */
  private async views(b: BookingDoc, requests: IntentRecord[]): Promise<CustomerInvoiceView[]> {
    const at = await this.d.zones.formatFor(b.storeId);
    const out: CustomerInvoiceView[] = [];
    for (const r of [...requests].reverse()) {
      const doc = await this.invoiceDoc(b.storeId, r.intentId);
      const asked = r;
      const body = await this.askedBody(b.storeId, r.intentId);
      if (doc) {
        out.push({
          requestId: r.intentId,
          state: doc.status,
          title: doc.title,
          ...(doc.email ? { email: doc.email } : {}),
          amount: doc.amount,
          requestedAt: doc.requestedAt,
          ...(doc.number ? { number: doc.number } : {}),
          ...(doc.issuedOn ? { issuedOn: doc.issuedOn } : {}),
          ...(doc.reason ? { reason: doc.reason } : {}),
          ...(doc.pdf ? { pdfBytes: doc.pdf.bytes } : {}),
        });
        continue;
      }
      if (!body) continue;
      const refused = asked.state === 'answered' && asked.answer?.outcome === 'rejected';
      if (asked.state === 'expired') continue;
      out.push({
        requestId: r.intentId,
        state: refused ? 'rejected' : 'waiting',
        title: body.title,
        ...(body.email ? { email: body.email } : {}),
        amount: body.amount,
        requestedAt: at(r.createdAt),
        ...(refused && asked.answer?.reason ? { reason: asked.answer.reason } : {}),
      });
    }
    return out;
  }

  /** What the request said, read back from the store's inbox where the cloud wrote it. */
  private async askedBody(
    storeId: string,
    intentId: string,
  ): Promise<{ title: CustomerInvoiceView['title']; email?: string; amount: number } | undefined> {
    const doc = (await this.d.couch.get(storeInboxDbName(storeId), intentDocId(intentId))) as
      | {
          kind?: string;
          body?: { title: CustomerInvoiceView['title']; email?: string; amount: number };
        }
      | undefined;
    return doc?.kind === 'invoice_request' ? doc.body : undefined;
  }

  /** Why no request may be made now, or null. */
  private whyNot(b: BookingDoc, invoices: CustomerInvoiceView[]): DomainError | null {
    if (!b.intentId) {
      return new DomainError(
        'conflict',
        'booked_at_store',
        'this booking was made at the store: ask the store there for its invoice',
      );
    }
    if (!INVOICEABLE.includes(b.status)) {
      return new DomainError(
        'conflict',
        'invoice_not_paid',
        b.status === 'refunding'
          ? 'a refund of this booking is under review: ask for the invoice once it is settled'
          : `an invoice is made out for a paid booking; this one is ${b.status}`,
      ).with({ status: b.status });
    }
    if (netPaid(b) <= 0) {
      return new DomainError(
        'conflict',
        'invoice_nothing_paid',
        'nothing is left paid for this booking to make an invoice out for',
      );
    }
    const open = invoices.find((i) => i.state === 'waiting' || i.state === 'issued');
    if (open) {
      return new DomainError(
        'conflict',
        'invoice_already_asked',
        open.state === 'issued'
          ? 'the invoice for this booking is already issued: download it below'
          : 'an invoice for this booking is already asked for; the store is making it out',
      ).with({ status: open.state });
    }
    return null;
  }
}
