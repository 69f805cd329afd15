// The simulated UnionPay gateway's certificates, as the real one has them: a root (根证书), an
// intermediate (中级证书) issued by the root, and the gateway's signing certificate (验签证书)
// issued by the intermediate, whose PEM travels in every answer and notification as
// `signPubKeyCert`. Node reads certificates but does not make them, so they are written here in
// DER by hand (X.509 v3, RSA-SHA256) and signed with node's crypto. Also makes the forgeries a
// client must refuse: a chain under another root, a self-signed signing certificate. Test and
// demo code only: it must never stand in for a real certificate authority.
import { createPrivateKey, createPublicKey, randomBytes, sign } from 'node:crypto';
import type { KeyObject } from 'node:crypto';

/** UnionPay's name in its signing certificate's subject, which the client checks. */
export const UNIONPAY_COMPANY = '中国银联股份有限公司';

export interface UnionPayCertificates {
  rootCertPem: string;
  middleCertPem: string;
  /** The gateway's signing certificate, issued by the intermediate (or forged). */
  signCertPem: string;
  /** Its serial number in decimal: the `certId` of what the gateway signs. */
  signCertId: string;
}

export interface CertificateKeys {
  rootPrivateKeyPem: string;
  middlePrivateKeyPem: string;
  /** The key behind the signing certificate: it signs answers and notifications. */
  gatewayPrivateKeyPem: string;
}

export interface CertificateOptions {
  /** When the signing certificate starts and stops being valid, epoch ms. */
  validFrom: number;
  validTo: number;
  /** The signing certificate signs itself instead of being issued by the intermediate. */
  selfSigned?: boolean;
  /** The company its subject names; UnionPay's by default. */
  company?: string;
}

const YEAR = 365 * 24 * 3_600_000;

/** The three certificates of a gateway, from its keys. */
export function makeUnionPayCertificates(
  keys: CertificateKeys,
  opts: CertificateOptions,
): UnionPayCertificates {
  const rootKey = createPrivateKey(keys.rootPrivateKeyPem);
  const middleKey = createPrivateKey(keys.middlePrivateKeyPem);
  const gatewayKey = createPrivateKey(keys.gatewayPrivateKeyPem);
  const rootName = name('CFCA ACS TEST OCA31 ROOT', 'China Financial Certification Authority');
  const middleName = name('CFCA ACS TEST OCA31', 'China Financial Certification Authority');
  const company = opts.company ?? UNIONPAY_COMPANY;
  const signName = name(`CFCA@${company}@00040000SIGN@1`, 'CFCA ACS TEST OCA31', company);
  const caFrom = opts.validFrom - YEAR;
  const caTo = opts.validTo + 10 * YEAR;
  const root = certificate({
    serial: serial(),
    issuer: rootName,
    subject: rootName,
    from: caFrom,
    to: caTo,
    subjectKey: createPublicKey(rootKey),
    issuerKey: rootKey,
    ca: true,
  });
  const middle = certificate({
    serial: serial(),
    issuer: rootName,
    subject: middleName,
    from: caFrom,
    to: caTo,
    subjectKey: createPublicKey(middleKey),
    issuerKey: rootKey,
    ca: true,
  });
  const signSerial = serial();
  const signCert = certificate({
    serial: signSerial,
    issuer: opts.selfSigned ? signName : middleName,
    subject: signName,
    from: opts.validFrom,
    to: opts.validTo,
    subjectKey: createPublicKey(gatewayKey),
    issuerKey: opts.selfSigned ? gatewayKey : middleKey,
    ca: false,
  });
  return {
    rootCertPem: pem(root),
    middleCertPem: pem(middle),
    signCertPem: pem(signCert),
    signCertId: BigInt(`0x${signSerial.toString('hex')}`).toString(),
  };
}

// ---- DER, as much of it as a certificate needs ------------------------------------------------

function tlv(tag: number, content: Buffer): Buffer {
  const n = content.length;
  const len =
    n < 0x80
      ? Buffer.from([n])
      : n < 0x100
        ? Buffer.from([0x81, n])
        : n < 0x10000
          ? Buffer.from([0x82, n >> 8, n & 0xff])
          : Buffer.from([0x83, n >> 16, (n >> 8) & 0xff, n & 0xff]);
  return Buffer.concat([Buffer.from([tag]), len, content]);
}
const seq = (...parts: Buffer[]) => tlv(0x30, Buffer.concat(parts));
const set = (...parts: Buffer[]) => tlv(0x31, Buffer.concat(parts));
const explicit = (n: number, inner: Buffer) => tlv(0xa0 + n, inner);
const utf8 = (s: string) => tlv(0x0c, Buffer.from(s, 'utf8'));
const printable = (s: string) => tlv(0x13, Buffer.from(s, 'ascii'));
const bool = (b: boolean) => tlv(0x01, Buffer.from([b ? 0xff : 0]));
const octets = (b: Buffer) => tlv(0x04, b);
const bits = (b: Buffer, unused = 0) => tlv(0x03, Buffer.concat([Buffer.from([unused]), b]));

function integer(b: Buffer): Buffer {
  // Positive: a leading zero when the high bit is set.
  return tlv(0x02, b[0]! & 0x80 ? Buffer.concat([Buffer.from([0]), b]) : b);
}

function oid(dotted: string): Buffer {
  const [a, b, ...rest] = dotted.split('.').map(Number) as [number, number, ...number[]];
  const out = [40 * a + b];
  for (const n of rest) {
    const groups = [n & 0x7f];
    for (let v = n >> 7; v > 0; v >>= 7) groups.unshift((v & 0x7f) | 0x80);
    out.push(...groups);
  }
  return tlv(0x06, Buffer.from(out));
}

function time(ms: number): Buffer {
  const iso = new Date(ms).toISOString(); // 2026-11-23T02:00:00.000Z
  const compact = iso.slice(0, 19).replace(/[-T:]/g, '');
  const year = new Date(ms).getUTCFullYear();
  // UTCTime up to 2049, GeneralizedTime from 2050 (RFC 5280).
  return year < 2050
    ? tlv(0x17, Buffer.from(`${compact.slice(2)}Z`, 'ascii'))
    : tlv(0x18, Buffer.from(`${compact}Z`, 'ascii'));
}

function name(cn: string, ou: string, o = 'China Financial Certification Authority'): Buffer {
  const rdn = (type: string, value: Buffer) => set(seq(oid(type), value));
  return seq(
    rdn('2.5.4.6', printable('CN')),
    rdn('2.5.4.10', utf8(o)),
    rdn('2.5.4.11', utf8(ou)),
    rdn('2.5.4.3', utf8(cn)),
  );
}

const serial = () => {
  const b = randomBytes(8);
  b[0] = (b[0]! & 0x3f) | 0x10; // positive, never a leading zero byte
  return b;
};

const SHA256_WITH_RSA = seq(oid('1.2.840.113549.1.1.11'), tlv(0x05, Buffer.alloc(0)));

function certificate(c: {
  serial: Buffer;
  issuer: Buffer;
  subject: Buffer;
  from: number;
  to: number;
  subjectKey: KeyObject;
  issuerKey: KeyObject;
  ca: boolean;
}): Buffer {
  const spki = c.subjectKey.export({ type: 'spki', format: 'der' });
  // keyCertSign and cRLSign for an authority, digitalSignature for the signing certificate.
  const usage = c.ca ? bits(Buffer.from([0x06]), 1) : bits(Buffer.from([0x80]), 7);
  const extensions = seq(
    seq(oid('2.5.29.19'), bool(true), octets(c.ca ? seq(bool(true)) : seq())),
    seq(oid('2.5.29.15'), bool(true), octets(usage)),
  );
  const tbs = seq(
    explicit(0, integer(Buffer.from([2]))),
    integer(c.serial),
    SHA256_WITH_RSA,
    c.issuer,
    seq(time(c.from), time(c.to)),
    c.subject,
    spki,
    explicit(3, extensions),
  );
  const signature = sign('sha256', tbs, c.issuerKey);
  return seq(tbs, SHA256_WITH_RSA, bits(signature));
}

function pem(der: Buffer): string {
  const b64 = der.toString('base64').replace(/.{64}/g, '$&\n');
  return `-----BEGIN CERTIFICATE-----\n${b64.replace(/\n$/, '')}\n-----END CERTIFICATE-----\n`;
}
