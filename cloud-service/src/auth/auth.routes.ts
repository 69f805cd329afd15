// Sign-in routes: a customer by SMS code or WeChat, an owner by SMS code or password. Each answers a bearer
// token the other routes ask for.
import {
  OwnerSignInBodySchema,
  SmsSendBodySchema,
  SmsVerifyBodySchema,
  WechatSignInBodySchema,
} from '@roomhub/shared-types';
import { route, type RouteDef } from '../http/route';
import type { SignInService } from './sign-in';

export function authRoutes(signIn: SignInService): RouteDef[] {
  return [
    route({
      method: 'post',
      path: '/api/auth/sms/send',
      tag: 'sign-in',
      access: 'anyone',
      summary:
        'Text a 6-digit code to a phone for signing in, or (`purpose: link_wechat`) for linking a WeChat sign-in to it: one a minute and five an hour per phone, three a minute and twenty an hour per sender, valid 5 minutes',
      status: 202,
      body: SmsSendBodySchema,
      // The sender is the caller's address as express sees it (`trust proxy` behind a balancer).
      handle: ({ body, req }) => signIn.sendCode(body.phone, req.ip ?? 'unknown', body.purpose),
    }),
    route({
      method: 'post',
      path: '/api/auth/sms/verify',
      tag: 'sign-in',
      access: 'anyone',
      summary: 'Trade the texted code for a customer token; each code works once',
      body: SmsVerifyBodySchema,
      handle: ({ body }) => signIn.verifyCode(body.phone, body.code),
    }),
    route({
      method: 'post',
      path: '/api/auth/wechat',
      tag: 'sign-in',
      access: 'anyone',
      summary: 'Trade a WeChat mini-program login code (wx.login) for a customer token',
      body: WechatSignInBodySchema,
      handle: ({ body }) => signIn.wechat(body.code),
    }),
    route({
      method: 'post',
      path: '/api/auth/phone-link',
      tag: 'sign-in',
      access: 'customer',
      summary:
        'A customer signed in with WeChat proves a phone by the texted code: a new token as that phone’s customer, at every later WeChat sign-in too, with what they booked before',
      body: SmsVerifyBodySchema,
      handle: ({ caller, body }) => signIn.linkPhone(caller, body.phone, body.code),
    }),
    route({
      method: 'post',
      path: '/api/owner/login',
      tag: 'sign-in',
      access: 'anyone',
      summary:
        'Sign an owner in to the remote view of their stores: the phone and the code texted to it, or a username and password',
      body: OwnerSignInBodySchema,
      handle: ({ body }) =>
        'phone' in body
          ? signIn.ownerByCode(body.phone, body.code)
          : signIn.owner(body.username, body.password),
    }),
  ];
}
