// Issues the vouchers of our deals bought online: a 12-digit code (11 random digits and their Luhn
// check digit, so a typo is caught at once) that no other voucher of the same store has, and the
// pass signed with the cloud's key exactly as its intents are signed, so the store's hub checks it
// with no network (the hub holds the cloud's public keys). A voucher moved to another store of
// the owner is signed anew for it here too. Owns the code claims (`code:<storeId>:<code>` in the
// `deals` database); never writes a store's database.
import { randomInt } from 'node:crypto';
import {
  CLOUD_DBS,
  newVoucherCode,
  VoucherPassBodySchema,
  VoucherPassSchema,
  type VoucherPass,
  type VoucherPassBody,
} from '@roomhub/shared-types';
import { isConflict, type CouchClient } from '../couch';
import type { IntentSigner } from '../intents/intent-signer';

export class VoucherIssuer {
  constructor(
    private readonly couch: CouchClient,
    private readonly signer: IntentSigner,
  ) {}

  /** The signed pass of a voucher, with a code new in its store. */
  async issue(facts: Omit<VoucherPassBody, 'type' | 'code' | 'issuer'>): Promise<VoucherPass> {
    const code = await this.newCode(facts.store, facts.id);
    const body = VoucherPassBodySchema.parse({ ...facts, type: 'voucher', code, issuer: 'cloud' });
    return VoucherPassSchema.parse(this.signer.sign(body));
  }

  /**
   * The same voucher signed for the store it moved to: same id, code, validity, rules version and
   * price, sold by the cloud from now on. Its code is claimed there too, so no voucher the cloud
   * sells for that store later has it (one already there keeps it: the pass tells them apart).
   */
  async moved(pass: VoucherPass, store: string): Promise<VoucherPass> {
    try {
      await this.couch.put(CLOUD_DBS.deals, {
        _id: `code:${store}:${pass.code}`,
        type: 'voucher_code',
        voucherId: pass.id,
      });
    } catch (error) {
      if (!isConflict(error)) throw error;
    }
    const { signature: _, ...facts } = pass;
    const body = VoucherPassBodySchema.parse({ ...facts, store, issuer: 'cloud' });
    return VoucherPassSchema.parse(this.signer.sign(body));
  }

  /** Whether the cloud signed this pass (and it was not changed since). */
  signed(pass: VoucherPass): boolean {
    return this.signer.check(pass);
  }

  private async newCode(storeId: string, voucherId: string): Promise<string> {
    for (;;) {
      const code = newVoucherCode(randomInt);
      try {
        await this.couch.put(CLOUD_DBS.deals, {
          _id: `code:${storeId}:${code}`,
          type: 'voucher_code',
          voucherId,
        });
        return code;
      } catch (error) {
        // Another voucher of this store has it: draw again.
        if (!isConflict(error)) throw error;
      }
    }
  }
}
