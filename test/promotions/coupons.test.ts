import { describe, expect, it } from 'vitest';
import { parseCouponCode } from '../../src/cart/promotions/schema.js';
import { isKassaError } from '../../src/errors.js';
import { drinks, run } from './helpers.js';

const coupon = (
  code: string,
  conditions: Record<string, unknown> = {},
  extra: Record<string, unknown> = {},
) => ({
  id: `p-${code}`,
  conditions: { coupon: { code }, ...conditions },
  reward: { type: 'cart', amount: '2.00' },
  ...extra,
});
const basket = [drinks('a', '10.00', 2)];
const at = '2026-11-27T12:00:00+01:00';

function reasonOf(promos: unknown[], codes: string[], ctx: Record<string, unknown> = {}) {
  return run(basket, promos, { coupons: codes, at, ...ctx }).coupons.map((c) => [
    c.code,
    c.status,
    c.reasonCode,
  ]);
}

describe('coupon validation with reasons a cashier can read', () => {
  it('applied', () => {
    const r = run(basket, [coupon('WELCOME')], { coupons: ['welcome'], at });
    expect(r.coupons).toEqual([{ code: 'WELCOME', status: 'applied', promotionIds: ['p-WELCOME'] }]);
  });

  it('unknown, malformed and duplicate codes', () => {
    const r = run(basket, [coupon('WELCOME')], { coupons: ['NOPE', 'bad code!', 'welcome', 'WELCOME'], at });
    expect(r.coupons.map((c) => [c.code, c.status, c.reasonCode])).toEqual([
      ['NOPE', 'rejected', 'unknown'],
      ['bad code!', 'rejected', 'malformed'],
      ['WELCOME', 'applied', undefined],
      ['WELCOME', 'rejected', 'duplicate'],
    ]);
    expect(r.coupons[0]?.reason).toBe('Unknown coupon code');
  });

  it('expired and not yet valid', () => {
    expect(reasonOf([coupon('OLD', { validUntil: '2026-11-01T00:00:00Z' })], ['OLD'])).toEqual([
      ['OLD', 'rejected', 'expired'],
    ]);
    expect(reasonOf([coupon('XMAS', { validFrom: '2026-12-20T00:00:00Z' })], ['XMAS'])).toEqual([
      ['XMAS', 'rejected', 'not_yet_valid'],
    ]);
    const r = run(basket, [coupon('OLD', { validUntil: '2026-11-01T00:00:00Z' })], { coupons: ['OLD'], at });
    expect(r.coupons[0]?.reason).toBe('This coupon has expired');
  });

  it('minimum not reached', () => {
    expect(reasonOf([coupon('BIG', { minAmount: '50' })], ['BIG'])).toEqual([
      ['BIG', 'rejected', 'minimum_not_reached'],
    ]);
  });

  it('not combinable', () => {
    const a = coupon('A', {}, { exclusive: true });
    const b = { ...coupon('B'), reward: { type: 'cart', amount: '3.00' } };
    expect(reasonOf([a, b], ['A', 'B'])).toEqual([
      ['A', 'rejected', 'not_combinable'],
      ['B', 'applied', undefined],
    ]);
    // Two cart coupons in the same group compete: only the better one applies.
    const c = { ...coupon('C'), reward: { type: 'cart', amount: '1.00' } };
    expect(reasonOf([b, c], ['B', 'C'])).toEqual([
      ['B', 'applied', undefined],
      ['C', 'rejected', 'not_combinable'],
    ]);
  });

  it('already used: usage limit through the ledger snapshot', () => {
    const once = { ...coupon('ONCE'), conditions: { coupon: { code: 'ONCE', maxUses: 1 } } };
    expect(reasonOf([once], ['ONCE'], { couponUsage: { ONCE: 1 } })).toEqual([
      ['ONCE', 'rejected', 'already_used'],
    ]);
    expect(reasonOf([once], ['ONCE'], { couponUsage: { ONCE: 0 } })).toEqual([
      ['ONCE', 'applied', undefined],
    ]);
  });

  it('not eligible for the customer, wrong channel, no qualifying items', () => {
    expect(reasonOf([coupon('STAFF', { customerGroups: ['staff'] })], ['STAFF'])).toEqual([
      ['STAFF', 'rejected', 'not_eligible'],
    ]);
    expect(reasonOf([coupon('WEB', { channels: ['online'] })], ['WEB'], { channel: 'store' })).toEqual([
      ['WEB', 'rejected', 'wrong_channel'],
    ]);
    const bakery = {
      ...coupon('BREAD'),
      reward: { type: 'percent-off', percent: '10', target: { categories: ['bakery'] } },
    };
    expect(reasonOf([bakery], ['BREAD'])).toEqual([['BREAD', 'rejected', 'no_matching_items']]);
  });

  it('parseCouponCode rejects malformed codes with a KassaError code and path', () => {
    expect(parseCouponCode('save-10')).toBe('SAVE-10');
    for (const bad of ['', 'has space', 'x'.repeat(65), 42]) {
      try {
        parseCouponCode(bad);
        expect.unreachable();
      } catch (e) {
        expect(isKassaError(e) && e.code).toBe('promotion.invalid_coupon_code');
      }
    }
  });
});
