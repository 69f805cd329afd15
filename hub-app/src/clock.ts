// Time and ids are injected everywhere so tests can drive the clock (slots, holds, reminders).
// The `Clock` type is shared-types'; here are the hub's system clock, the tests' manual one and ids.
import { randomUUID } from 'node:crypto';
import type { Clock } from '@roomhub/shared-types';

export const systemClock: Clock = { now: () => Date.now() };

/** A clock tests move by hand. */
export class ManualClock implements Clock {
  constructor(private t: number) {}
  now(): number {
    return this.t;
  }
  set(t: number): void {
    this.t = t;
  }
  advance(ms: number): void {
    this.t += ms;
  }
}

export type NewId = () => string;
// 32 hex characters: fits gateways' order-number limits (WeChat Pay: 6-32 characters).
export const randomId: NewId = () => randomUUID().replaceAll('-', '');
