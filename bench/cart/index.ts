/**
 * Prices seeded carts of 10, 100 and 1000 lines with kassa, with Medusa's
 * `decorateCartTotals` and with a plain decimal.js loop (the floor), in one run.
 * Cart: prices 0.50 to 200.49, quantities 1 to 5, 21 % VAT on top, and on every third line
 * an amount discount worth 10 % of the line.
 */
import os from 'node:os';
import { decorateCartTotals } from '@medusajs/utils';
import DecimalJs from 'decimal.js';
import { priceParsedCart } from '../../src/cart/price-cart.js';
import { type CartInput, priceCart } from '../../src/index.js';
import { measure, seeded, table } from '../harness.js';

interface BenchLine {
  id: string;
  price: string;
  quantity: number;
  discount?: string;
}

function makeCart(size: number, seed: number): BenchLine[] {
  const random = seeded(seed);
  return Array.from({ length: size }, (_, i) => {
    const cents = 50 + Math.floor(random() * 20000);
    const price = (cents / 100).toFixed(2);
    const quantity = 1 + Math.floor(random() * 5);
    const line: BenchLine = { id: `l${i}`, price, quantity };
    if (i % 3 === 2)
      line.discount = new DecimalJs(price).mul(quantity).mul('0.1').toDecimalPlaces(2).toFixed(2);
    return line;
  });
}

function toKassa(lines: BenchLine[]): CartInput {
  return {
    currency: 'EUR',
    lines: lines.map((l) => ({
      id: l.id,
      sku: l.id,
      unitPrice: l.price,
      quantity: l.quantity,
      taxes: [{ id: 'vat', rate: '21' }],
      ...(l.discount ? { discounts: [{ id: 'd', kind: 'amount' as const, value: l.discount }] } : {}),
    })),
  };
}

function toMedusa(lines: BenchLine[]) {
  return {
    currency_code: 'eur',
    items: lines.map((l) => ({
      id: l.id,
      unit_price: l.price,
      quantity: l.quantity,
      tax_lines: [{ rate: 21 }],
      adjustments: l.discount ? [{ amount: l.discount }] : [],
    })),
  };
}

/** The floor: the same arithmetic with nothing around it (no validation, no explanation). */
function plainLoop(lines: BenchLine[]): string {
  let net = new DecimalJs(0);
  let tax = new DecimalJs(0);
  const rate = new DecimalJs('0.21');
  for (const l of lines) {
    let amount = new DecimalJs(l.price).mul(l.quantity).toDecimalPlaces(2);
    if (l.discount) amount = amount.minus(l.discount);
    const lineTax = amount.mul(rate).toDecimalPlaces(2);
    net = net.plus(amount);
    tax = tax.plus(lineTax);
  }
  return net.plus(tax).toFixed(2);
}

const rules = {};
const rows: Record<string, string | number>[] = [];
for (const size of [10, 100, 1000]) {
  const lines = makeCart(size, 42 + size);
  const kassaInput = toKassa(lines);
  const medusaInput = toMedusa(lines);
  // Same carts, same result: check before timing.
  const kassaTotal = priceCart(kassaInput, rules).totals.total;
  const plainTotal = plainLoop(lines);
  const medusaTotal = new DecimalJs(
    String((decorateCartTotals(medusaInput) as { total: unknown }).total),
  ).toFixed(2);
  if (kassaTotal !== plainTotal)
    throw new Error(`kassa ${kassaTotal} differs from the plain loop ${plainTotal}`);
  // Interleaved rounds, best median per contender: load on a shared machine hits all alike.
  const minMillis = size >= 1000 ? 600 : 300;
  const best = { kassa: Infinity, engine: Infinity, plain: Infinity, medusa: Infinity };
  for (let round = 0; round < 5; round++) {
    best.kassa = Math.min(
      best.kassa,
      measure('kassa', () => priceCart(kassaInput, rules), { minMillis }).medianMicros,
    );
    // The same pricing without the input validation, to show what validation costs.
    best.engine = Math.min(
      best.engine,
      measure('engine', () => priceParsedCart(kassaInput, rules), { minMillis }).medianMicros,
    );
    best.plain = Math.min(best.plain, measure('plain', () => plainLoop(lines), { minMillis }).medianMicros);
    best.medusa = Math.min(
      best.medusa,
      measure('medusa', () => decorateCartTotals(medusaInput), { minMillis }).medianMicros,
    );
  }
  const kassa = { medianMicros: best.kassa };
  const engine = { medianMicros: best.engine };
  const plain = { medianMicros: best.plain };
  const medusa = { medianMicros: best.medusa };
  rows.push({
    lines: size,
    'kassa µs': kassa.medianMicros.toFixed(1),
    'kassa engine only µs': engine.medianMicros.toFixed(1),
    'plain decimal.js µs': plain.medianMicros.toFixed(1),
    'medusa µs': medusa.medianMicros.toFixed(1),
    'kassa / plain': (kassa.medianMicros / plain.medianMicros).toFixed(2),
    'engine / plain': (engine.medianMicros / plain.medianMicros).toFixed(2),
    'medusa / kassa': (medusa.medianMicros / kassa.medianMicros).toFixed(1),
    totals: `${kassaTotal} / ${medusaTotal}`,
  });
}
console.log(
  `bench/cart on ${os.cpus()[0]?.model ?? 'unknown CPU'} (${os.cpus().length} cores), Node ${process.version}\n`,
);
console.log(table(rows));
