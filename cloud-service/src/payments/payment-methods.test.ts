// The cloud lists and checks the ways to pay by the shared rule, narrowed to its own channels.
import { describe, expect, it } from 'vitest';
import { assertCloudTakes, cloudPaymentMethods } from './payment-methods';

describe('the ways to pay the cloud offers', () => {
  it('offers WeChat Pay only inside WeChat, and what its channels take outside it', () => {
    expect(cloudPaymentMethods('mini_program', ['wechat'])).toEqual(['wechat']);
    expect(cloudPaymentMethods('h5_in_wechat', ['wechat', 'alipay'])).toEqual(['wechat']);
    expect(cloudPaymentMethods('h5', ['wechat', 'alipay', 'unionpay'])).toEqual([
      'wechat',
      'alipay',
      'unionpay',
    ]);
    expect(cloudPaymentMethods('h5', ['wechat'])).toEqual(['wechat']);
  });

  it('refuses a method not offered where the customer is, or not taken here, naming method', () => {
    expect(() => assertCloudTakes('h5', 'wechat', ['wechat'])).not.toThrow();
    expect(() => assertCloudTakes('mini_program', 'alipay', ['wechat', 'alipay'])).toThrow(
      expect.objectContaining({ code: 'method_not_offered', field: 'method', status: 422 }),
    );
    expect(() => assertCloudTakes('h5', 'alipay', ['wechat'])).toThrow(
      expect.objectContaining({ code: 'channel_unavailable', field: 'method', status: 503 }),
    );
  });
});
