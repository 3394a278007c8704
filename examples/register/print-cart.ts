import { format, money, type PricedCart } from '../../src/index.js';

/** Renders a priced cart as a readable console table (the demo's "screen"). */
export function printCart(cart: PricedCart, locale = 'en-NL'): string {
  const m = (amount: string) => format(money(amount, cart.currency), locale);
  const out: string[] = [];
  const width = 64;
  const row = (left: string, right: string) =>
    `${left}${' '.repeat(Math.max(1, width - left.length - right.length))}${right}`;
  out.push('='.repeat(width));
  for (const line of cart.lines) {
    const codes = line.taxes.map((t) => t.code).join('');
    const qty = line.unit === 'each' ? `${line.quantity} x` : `${line.quantity} ${line.unit} x`;
    out.push(row(`${line.name ?? line.sku}`, `${m(line.subtotal)} ${codes.padEnd(2)}`));
    out.push(`    ${qty} ${m(line.unitPrice)}${line.unit === 'each' ? '' : `/${line.unit}`}`);
    for (const adj of line.adjustments) {
      if (adj.source === 'price-override') continue;
      if (adj.source === 'price-list') out.push(`    ${adj.label} (list price ${m(line.listUnitPrice)})`);
      else out.push(row(`    ${adj.label}`, `-${m(adj.amount)}   `));
    }
    const fixed = line.taxes.filter((t) => t.kind === 'fixed' && !t.included);
    for (const t of fixed) out.push(row(`    ${t.name ?? t.id}`, `${m(t.amount)}   `));
  }
  out.push('-'.repeat(width));
  out.push(row('Subtotal', `${m(cart.totals.subtotal)}   `));
  if (!money(cart.totals.discount, cart.currency).amount.isZero()) {
    out.push(row('Discounts', `-${m(cart.totals.discount)}   `));
  }
  for (const promo of cart.appliedPromotions) out.push(row(`  ${promo.label}`, `-${m(promo.amount)}   `));
  out.push('');
  out.push(row('Tax     rate        base          tax        gross', ''));
  for (const t of cart.taxBreakdown) {
    const rate = t.kind === 'fixed' ? 'fixed' : `${t.rate}%`;
    out.push(
      `${(t.code || '-').padEnd(8)}${rate.padEnd(8)}${m(t.base).padStart(10)}${m(t.amount).padStart(13)}${m(t.gross).padStart(13)}`,
    );
  }
  out.push('');
  out.push(row('Net', `${m(cart.totals.net)}   `));
  out.push(row('Tax', `${m(cart.totals.tax)}   `));
  out.push(row('TOTAL', `${m(cart.totals.total)}   `));
  out.push(row(`Cash total (rounding ${cart.totals.cashRounding})`, `${m(cart.totals.cashTotal)}   `));
  if (cart.loyalty) out.push(row('Loyalty points earned', `${cart.loyalty.points}   `));
  for (const w of cart.warnings) out.push(`! ${w.code}: ${w.message}`);
  out.push('='.repeat(width));
  return out.join('\n');
}
