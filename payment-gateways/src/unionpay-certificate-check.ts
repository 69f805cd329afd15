// Which certificate may sign for UnionPay's gateway, as UnionPay's own SDK decides it: every answer
// and notification carries the gateway's signing certificate (`signPubKeyCert`), and it is believed
// only when it was issued by the configured intermediate (中级证书, acp_middle), itself issued by
// the configured root (根证书, acp_root), all three valid now, and it names UnionPay (or the
// company configured) in its subject. A self-signed certificate, one under another root, an
// expired one or another company's is refused. Pure apart from the clock; never fetches anything.
import { X509Certificate } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import type { Clock } from '@roomhub/shared-types';

/** The company UnionPay's signing certificates name. */
export const UNIONPAY_SIGNER = '中国银联股份有限公司';

export class UnionPayCertificateCheck {
  private readonly root: X509Certificate;
  private readonly middle: X509Certificate;
  /** Certificates already found to chain, by their PEM: only their dates are checked again. */
  private readonly chained = new Map<string, X509Certificate>();

  constructor(
    rootCertPem: string,
    middleCertPem: string,
    private readonly clock: Clock,
    private readonly company = UNIONPAY_SIGNER,
  ) {
    this.root = new X509Certificate(rootCertPem);
    this.middle = new X509Certificate(middleCertPem);
    // A configuration that cannot verify anything is a mistake to report at start, not per answer.
    if (
      !this.root.ca ||
      !this.root.checkIssued(this.root) ||
      !this.root.verify(this.root.publicKey)
    )
      throw new Error('the UnionPay root certificate is not a self-signed authority');
    if (
      !this.middle.ca ||
      !this.middle.checkIssued(this.root) ||
      !this.middle.verify(this.root.publicKey)
    )
      throw new Error('the UnionPay intermediate certificate was not issued by the root');
  }

  /**
   * The public key of the gateway's signing certificate when it may sign for the gateway, its
   * serial (`certId`) as it must be named; null when it may not, whatever the reason.
   */
  signer(pem: string | undefined): { key: KeyObject; certId: string } | null {
    if (!pem) return null;
    let cert = this.chained.get(pem);
    if (!cert) {
      try {
        cert = new X509Certificate(pem);
      } catch {
        return null;
      }
      const chains =
        !cert.ca &&
        cert.checkIssued(this.middle) &&
        cert.verify(this.middle.publicKey) &&
        subjectNames(cert, this.company);
      if (!chains) return null;
      if (this.chained.size > 16) this.chained.clear();
      this.chained.set(pem, cert);
    }
    const now = this.clock.now();
    if (![cert, this.middle, this.root].every((c) => validAt(c, now))) return null;
    return { key: cert.publicKey, certId: BigInt(`0x${cert.serialNumber}`).toString() };
  }
}

function validAt(cert: X509Certificate, now: number): boolean {
  return Date.parse(cert.validFrom) <= now && now <= Date.parse(cert.validTo);
}

/** UnionPay's SDK reads the company out of the subject's CN: `CFCA@<company>@<number>SIGN@<n>`. */
function subjectNames(cert: X509Certificate, company: string): boolean {
  const cn = cert.subject.split('\n').find((part) => part.startsWith('CN='));
  return cn?.slice(3).split('@')[1] === company;
}
