import { describe, expect, it } from 'vitest';
import { drinks, run, total } from './helpers.js';

const tenOff = (conditions: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  id: 'p',
  conditions,
  reward: { type: 'percent-off', percent: '10' },
  ...extra,
});
const basket = [drinks('a', '10.00', 1)];

describe('conditions', () => {
  it('coupon code, matched case-insensitively', () => {
    const promo = tenOff({ coupon: { code: 'SAVE10' } });
    expect(total(run(basket, [promo]))).toBe('0.00');
    const r = run(basket, [promo], { coupons: ['save10'] });
    expect(total(r)).toBe('1.00');
    expect(r.coupons).toEqual([{ code: 'SAVE10', status: 'applied', promotionIds: ['p'] }]);
    expect(r.applied[0]?.coupon).toBe('SAVE10');
  });

  it('customer group', () => {
    const promo = tenOff({ customerGroups: ['staff'] });
    expect(total(run(basket, [promo]))).toBe('0.00');
    expect(total(run(basket, [promo], { customer: { id: 'c1', groups: ['vip'] } }))).toBe('0.00');
    expect(total(run(basket, [promo], { customer: { id: 'c1', groups: ['vip', 'staff'] } }))).toBe('1.00');
  });

  it('channel', () => {
    const promo = tenOff({ channels: ['online'] });
    expect(total(run(basket, [promo], { channel: 'store' }))).toBe('0.00');
    expect(total(run(basket, [promo]))).toBe('0.00');
    expect(total(run(basket, [promo], { channel: 'online' }))).toBe('1.00');
  });

  it('validity window (from inclusive, until exclusive)', () => {
    const promo = tenOff({ validFrom: '2026-12-01T00:00:00+01:00', validUntil: '2026-12-24T00:00:00+01:00' });
    expect(total(run(basket, [promo], { at: '2026-11-30T23:59:59+01:00' }))).toBe('0.00');
    expect(total(run(basket, [promo], { at: '2026-11-30T23:00:00Z' }))).toBe('1.00');
    expect(total(run(basket, [promo], { at: '2026-12-23T22:59:59Z' }))).toBe('1.00');
    expect(total(run(basket, [promo], { at: '2026-12-24T00:00:00+01:00' }))).toBe('0.00');
  });

  it('happy hour on weekdays, read on the wall clock of the cart time', () => {
    const promo = tenOff({
      schedule: { days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '17:00', until: '19:00' },
    });
    // 2026-11-27 is a Friday.
    expect(total(run(basket, [promo], { at: '2026-11-27T17:30:00+01:00' }))).toBe('1.00');
    expect(total(run(basket, [promo], { at: '2026-11-27T19:00:00+01:00' }))).toBe('0.00');
    expect(total(run(basket, [promo], { at: '2026-11-28T17:30:00+01:00' }))).toBe('0.00');
  });

  it('schedule in a named time zone, and a window over midnight', () => {
    const promo = tenOff({ schedule: { from: '22:00', until: '02:00', timeZone: 'Europe/Amsterdam' } });
    expect(total(run(basket, [promo], { at: '2026-11-27T22:30:00Z' }))).toBe('1.00'); // 23:30 local
    expect(total(run(basket, [promo], { at: '2026-11-28T00:30:00Z' }))).toBe('1.00'); // 01:30 local
    expect(total(run(basket, [promo], { at: '2026-11-28T01:30:00Z' }))).toBe('0.00'); // 02:30 local
  });

  it('time-bound promotions are skipped, with a warning, when the cart has no time', () => {
    const r = run(basket, [tenOff({ schedule: { from: '17:00' } })]);
    expect(total(r)).toBe('0.00');
    expect(r.warnings).toEqual([
      expect.objectContaining({ code: 'promotion.no_time', path: ['promotions', 0] }),
    ]);
  });

  it('minimum quantity counts the reward lines; minimum amount the cart', () => {
    const promo = {
      id: 'p',
      conditions: { minQuantity: 3 },
      reward: { type: 'percent-off', percent: '10', target: { categories: ['drinks'] } },
    };
    const bread = { id: 'z', sku: 'BREAD', price: '3.00', qty: 5, categories: ['bakery'] };
    expect(total(run([drinks('a', '1.00', 2), bread], [promo]))).toBe('0.00');
    expect(total(run([drinks('a', '1.00', 3), bread], [promo]))).toBe('0.30');
    const spend = {
      id: 'q',
      conditions: { minAmount: '10' },
      reward: { type: 'percent-off', percent: '10', target: { categories: ['drinks'] } },
    };
    expect(total(run([drinks('a', '1.00', 2), bread], [spend]))).toBe('0.20');
    const spendOnDrinks = { ...spend, conditions: { minAmount: '10', target: { categories: ['drinks'] } } };
    expect(total(run([drinks('a', '1.00', 2), bread], [spendOnDrinks]))).toBe('0.00');
  });

  it('disabled promotions are ignored', () => {
    expect(total(run(basket, [tenOff({}, { enabled: false })]))).toBe('0.00');
  });
});
