import { type Clock, systemClock } from '../../clock.js';
import { parseCouponCode } from './schema.js';

/** One use of a coupon by a completed sale. */
export interface CouponRedemption {
  code: string;
  saleId: string;
  at: string;
}

/**
 * Coupon usage across sales: a port, so usage limits (`conditions.coupon.maxUses`) hold across
 * tills when backed by a shared store. `priceCart` stays pure: it reads a snapshot of the uses
 * (`rules.couponUsage = await ledger.usage(codes)`); the checkout records the redemptions when
 * the sale completes. Recording is idempotent by sale id.
 */
export interface CouponLedger {
  /** Uses so far per code (upper-case), for the given codes or all. */
  usage(codes?: readonly string[]): Promise<Record<string, number>>;
  /** Records that `saleId` used `code`; a second call for the same pair changes nothing. */
  redeem(code: string, saleId: string): Promise<CouponRedemption>;
  /** Gives the use back (a voided sale); true when there was one. */
  release(code: string, saleId: string): Promise<boolean>;
}

/** An in-memory {@link CouponLedger}. */
export function createMemoryCouponLedger(options: { clock?: Clock } = {}): CouponLedger {
  const clock = options.clock ?? systemClock;
  const uses = new Map<string, Map<string, CouponRedemption>>();
  return {
    async usage(codes) {
      const out: Record<string, number> = {};
      const wanted = codes === undefined ? [...uses.keys()] : codes.map((c) => parseCouponCode(c));
      for (const code of wanted) out[code] = uses.get(code)?.size ?? 0;
      return out;
    },
    async redeem(rawCode, saleId) {
      const code = parseCouponCode(rawCode);
      let bySale = uses.get(code);
      if (bySale === undefined) {
        bySale = new Map();
        uses.set(code, bySale);
      }
      const existing = bySale.get(saleId);
      if (existing !== undefined) return { ...existing };
      const entry = { code, saleId, at: new Date(clock.now()).toISOString() };
      bySale.set(saleId, entry);
      return { ...entry };
    },
    async release(rawCode, saleId) {
      return uses.get(parseCouponCode(rawCode))?.delete(saleId) ?? false;
    },
  };
}

/** The coupon codes a priced cart applied, to record with {@link CouponLedger.redeem}. */
export function appliedCoupons(cart: { coupons: readonly { code: string; status: string }[] }): string[] {
  return cart.coupons.filter((c) => c.status === 'applied').map((c) => c.code);
}
