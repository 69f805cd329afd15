// Who is calling the cloud: customers sign in by SMS code or WeChat and owners by SMS code or
// password, each getting a bearer token; a later call proves itself with that token. Owns the
// sign-in rules and their refusals (rate limits, a failed SMS gateway, a wrong code); never keeps
// a token, a code or a password in clear.
import {
  DomainError,
  customerIdForOpenid,
  customerIdForPhone,
  formerCustomerIdForOpenid,
  formerCustomerIdForPhone,
  type CustomerSignIn,
  type OwnerSignIn,
  type SmsSent,
} from '@roomhub/shared-types';
import type { CouchClient } from '../couch';
import { linkedStores } from './owner-links';
import { phoneOwnerStores, signInOwner } from './owners';
import type { SmsCodes, SmsPurpose } from './sms';
import type { PhoneLinks } from './phone-links';
import { customerIds, type CustomerIdentity, type OwnerIdentity, type Tokens } from './tokens';
import type { WechatLogin } from './wechat';
import { frozenError, type CustomerFreezes } from '../platform/platform-users';

export interface SignInDeps {
  couch: CouchClient;
  tokens: Tokens;
  smsCodes: SmsCodes;
  wechat: WechatLogin;
  /** Keys customer ids (`CUSTOMER_ID_KEY`); every hub has the same. */
  customerIdKey: string;
  log: (error: unknown) => void;
  /** Told who signed in with which phone or WeChat openid (where messages to them go). */
  seen?: (c: { customerId: string; phone?: string; openid?: string }) => Promise<void>;
  /** The phones WeChat customers proved. */
  links: PhoneLinks;
  /** Told a WeChat customer became a phone's (their profile goes with them). */
  linked?: (from: string, to: string) => Promise<void>;
}

/** The SMS gateway failed: the code was taken back, so asking again soon is allowed. */
const SMS_RETRY_SECONDS = 5;

export class SignInService {
  /** The platform's freezes (P3): a frozen customer is refused; each sign-in is noted. */
  freezes: CustomerFreezes | undefined;

  constructor(private readonly d: SignInDeps) {}

  /** Texts a code to `phone`; `sender` is the caller's address, limited on its own too. */
  async sendCode(phone: string, sender: string, purpose?: SmsPurpose): Promise<SmsSent> {
    let sent: Awaited<ReturnType<SmsCodes['send']>>;
    try {
      sent = await this.d.smsCodes.send(phone, sender, purpose);
    } catch (error) {
      this.d.log(error);
      throw new DomainError(
        'unavailable',
        'sms_unavailable',
        'the code could not be sent just now; try again in a moment',
        'phone',
        SMS_RETRY_SECONDS,
      );
    }
    if (!sent.ok) {
      throw new DomainError(
        'rate_limited',
        'rate_limited',
        sent.message,
        sent.field,
        Math.ceil(sent.retryAfterMs / 1000),
      );
    }
    return { sent: true, expiresInSeconds: 300 };
  }

  async verifyCode(phone: string, code: string): Promise<CustomerSignIn> {
    if (!(await this.d.smsCodes.verify(phone, code))) {
      throw wrongCode();
    }
    return this.asPhone(phone, 'sms');
  }

  async wechat(code: string): Promise<CustomerSignIn> {
    const session = await this.d.wechat.code2Session(code);
    if (!session) {
      throw new DomainError(
        'unauthenticated',
        'invalid_code',
        'WeChat refused the login code',
        'code',
      );
    }
    const customerId = customerIdForOpenid(session.openid, this.d.customerIdKey);
    const formerId = formerCustomerIdForOpenid(session.openid);
    // A WeChat customer who proved a phone is that phone's customer.
    const phone = await this.d.links.phoneOf(customerId);
    if (phone !== undefined) {
      return this.asPhone(phone, 'wechat', [customerId, formerId], session.openid);
    }
    await this.admit([customerId], 'wechat');
    await this.tell({ customerId, openid: session.openid });
    return { token: await this.d.tokens.customer({ customerId, formerId }), customerId };
  }

  /**
   * A customer signed in with WeChat proves a phone by the code texted to it for linking (a code
   * texted for signing in does not link): from now on, and at
   * every WeChat sign-in, they are that phone's customer, and what they booked before stays
   * theirs. A customer who signed in with their phone has nothing to link; one linked already
   * may link another phone they prove.
   */
  async linkPhone(who: CustomerIdentity, phone: string, code: string): Promise<CustomerSignIn> {
    const wechatIds = who.linkedIds ?? (who.phone === undefined ? customerIds(who) : undefined);
    if (wechatIds === undefined || wechatIds.length === 0) {
      throw new DomainError(
        'conflict',
        'phone_known',
        'this account signed in with its phone already: there is nothing to link',
        'phone',
      );
    }
    if (!(await this.d.smsCodes.verify(phone, code, 'link_wechat'))) {
      throw wrongCode('invalid');
    }
    const customerId = customerIdForPhone(phone, this.d.customerIdKey);
    await this.admit([customerId], 'sms');
    const [wechatId] = wechatIds as [string];
    await this.d.links.link(wechatId, phone, customerId);
    try {
      await this.d.linked?.(wechatId, customerId);
    } catch (error) {
      this.d.log(error);
    }
    return this.asPhone(phone, 'sms', wechatIds);
  }

  /** The phone's customer, with the ids a WeChat sign-in had before it linked the phone. */
  private async asPhone(
    phone: string,
    via: 'sms' | 'wechat',
    linkedIds?: string[],
    openid?: string,
  ): Promise<CustomerSignIn> {
    const customerId = customerIdForPhone(phone, this.d.customerIdKey);
    // The id before the key still names the customer's earlier bookings and intents.
    const formerId = formerCustomerIdForPhone(phone);
    await this.admit([customerId, ...(linkedIds ?? [])], via);
    await this.tell({ customerId, phone, ...(openid ? { openid } : {}) });
    const token = await this.d.tokens.customer({
      customerId,
      phone,
      formerId,
      ...(linkedIds ? { linkedIds } : {}),
    });
    return { token, customerId };
  }

  /** Refuses a frozen customer in words; notes the sign-in (never failing it for the note). */
  private async admit(ids: readonly string[], via: 'sms' | 'wechat'): Promise<void> {
    for (const id of ids) {
      const reason = await this.freezes?.frozenReason(id);
      if (reason !== undefined) throw frozenError(reason);
    }
    try {
      await this.freezes?.signedIn(ids[0]!, via);
    } catch (error) {
      this.d.log(error);
    }
  }

  /** A sign-in never fails because the message contacts could not be noted. */
  private async tell(c: { customerId: string; phone?: string; openid?: string }): Promise<void> {
    try {
      await this.d.seen?.(c);
    } catch (error) {
      this.d.log(error);
    }
  }

  async owner(username: string, password: string): Promise<OwnerSignIn> {
    const account = await signInOwner(this.d.couch, username, password);
    if (!account) {
      throw new DomainError('unauthenticated', 'invalid_login', 'wrong username or password');
    }
    return { token: await this.d.tokens.owner(account), storeIds: account.storeIds };
  }

  /**
   * An owner signs in with a code texted to their phone (`sendCode`): the stores the admin linked
   * to that phone, and those of the cloud's own account for it (the demo owner's).
   */
  async ownerByCode(phone: string, code: string): Promise<OwnerSignIn> {
    if (!(await this.d.smsCodes.verify(phone, code))) {
      throw wrongCode();
    }
    const [linked, own] = await Promise.all([
      linkedStores(this.d.couch, phone),
      phoneOwnerStores(this.d.couch, phone),
    ]);
    const storeIds = [...new Set([...linked, ...own])].sort();
    if (storeIds.length === 0) {
      throw new DomainError(
        'unauthenticated',
        'invalid_login',
        'no store is linked to this phone: ask the platform to add you as an owner',
        'phone',
      );
    }
    const account = { username: phone, storeIds };
    return { token: await this.d.tokens.owner(account), storeIds };
  }

  /** The customer a bearer token proves, or a 401. */
  async customerOf(token: string | undefined): Promise<CustomerIdentity> {
    const who = token ? await this.d.tokens.verifyCustomer(token) : undefined;
    if (!who) throw signInRequired('customer');
    // A token given before the freeze stops working with it, whichever of its ids was frozen.
    for (const id of [who.customerId, ...(who.linkedIds ?? [])]) {
      const reason = await this.freezes?.frozenReason(id);
      if (reason !== undefined) throw frozenError(reason);
    }
    // A WeChat sign-in as a phone's customer lasts while the link does: the phone's holder may
    // have removed it since (a number that changed hands), and WeChat then signs in as itself.
    const [wechatId] = who.linkedIds ?? [];
    if (wechatId !== undefined && !(await this.d.links.linked(wechatId, who.customerId))) {
      throw new DomainError(
        'unauthenticated',
        'phone_unlinked',
        'this WeChat account is no longer linked to the phone: sign in again',
      );
    }
    return who;
  }

  /** The owner a bearer token proves, or a 401; which stores they may see is the view's rule. */
  async ownerOf(token: string | undefined): Promise<OwnerIdentity> {
    const who = token ? await this.d.tokens.verifyOwner(token) : undefined;
    if (!who) throw signInRequired('owner');
    return who;
  }
}

/**
 * A wrong or expired code: no sign-in (401), or, for a customer signed in already (linking a
 * phone), a refusal of the code alone (422), which keeps them signed in.
 */
const wrongCode = (kind: 'unauthenticated' | 'invalid' = 'unauthenticated') =>
  new DomainError(kind, 'invalid_code', 'the code is wrong or has expired', 'code');

const signInRequired = (who: 'customer' | 'owner') =>
  new DomainError(
    'unauthenticated',
    'sign_in_required',
    `sign in first: send ${who === 'owner' ? 'an owner' : 'a customer'} Bearer token`,
  );
