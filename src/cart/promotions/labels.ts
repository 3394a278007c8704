import { Decimal } from '../../money/decimal.js';
import type { Promotion } from './schema.js';

function pct(p: string): string {
  return `${new Decimal(p).toString()}%`;
}

/**
 * The label a promotion gets when it has none: short, without a currency symbol (the receipt
 * prints the amount next to it, formatted for the locale). @internal
 */
export function defaultLabel(p: Promotion, tier?: number): string {
  const r = p.reward;
  switch (r.type) {
    case 'percent-off':
      return `${pct(r.percent)} off`;
    case 'amount-off':
      return r.per === 'total' ? `${r.amount} off` : `${r.amount} off each`;
    case 'fixed-price':
      return `Now ${r.price}`;
    case 'buy-x-get-y': {
      const g = r.get;
      const what =
        g.amount !== undefined
          ? `${g.amount} off`
          : g.price !== undefined
            ? `for ${g.price}`
            : g.percent !== undefined && g.percent !== '100'
              ? `${pct(g.percent)} off`
              : 'free';
      return `Buy ${r.buy.quantity} get ${r.get.quantity} ${what}`;
    }
    case 'bundle': {
      const first = r.items[0];
      return r.items.length === 1 && first !== undefined
        ? `${first.quantity} for ${r.price}`
        : `Bundle ${r.price}`;
    }
    case 'quantity-tiers':
      return 'Quantity discount';
    case 'cart':
      return r.percent !== undefined ? `${pct(r.percent)} off` : `${r.amount} off`;
    case 'spend-tiers': {
      const sorted = [...r.tiers].sort((a, b) => new Decimal(a.minAmount).comparedTo(b.minAmount));
      const t = sorted[tier ?? 0];
      if (t === undefined) return 'Spend and save';
      return `Spend ${t.minAmount}: ${t.percent !== undefined ? pct(t.percent) : t.amount} off`;
    }
    case 'free-item':
      return 'Free item';
  }
}
