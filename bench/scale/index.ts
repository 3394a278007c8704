/**
 * Scale benchmark (issue 18): each workload at growing sizes, with its growth exponent, the
 * slope of log(time) against log(size) (0: independent of the size, 1: linear, 2: quadratic).
 * Everything goes through the public API (kassa, kassa/payments, kassa/payments/node,
 * kassa/customers, kassa/receipts), so the payment figures follow the payments helper's work.
 *
 * Run: npm run bench -- scale (SCALE_MAX=1000000 adds the largest sizes; default 100000).
 * CPU time of this process (process.cpuUsage), median of a few repeats: the machine is shared.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCart, priceCart as priceCore } from '../../src/cart/index.js';
import { priceListsFeature, promotionsFeature } from '../../src/cart/promotions/index.js';
import type { CartInput, PricingRules } from '../../src/cart/types.js';
import {
  type Customer,
  createMemoryCustomerStore,
  createMemoryLoyaltyLedger,
} from '../../src/customers/index.js';
import {
  createCashProvider,
  createMemoryPaymentStore,
  createPaymentSession,
  type PaymentRecord,
  type PaymentStore,
} from '../../src/payments/index.js';
import { openFilePaymentStore } from '../../src/payments/node.js';
import { buildReceipt, defaultTemplate } from '../../src/receipts/index.js';
import { table } from '../harness.js';

const MAX = Number(process.env.SCALE_MAX ?? 100_000);
const sizes = (list: number[]) => list.filter((n) => n <= MAX);
const cpu = () => {
  const u = process.cpuUsage();
  return u.user + u.system;
};

/** Median CPU µs of `fn`, repeated until `ms` of CPU or `max` runs (at least 3). */
async function time(fn: () => unknown, { ms = 150, max = 200 } = {}): Promise<number> {
  await fn(); // warm-up
  const samples: number[] = [];
  const end = cpu() + ms * 1000;
  while ((cpu() < end || samples.length < 3) && samples.length < max) {
    const s = cpu();
    await fn();
    samples.push(cpu() - s);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)]!;
}

function exponent(points: [number, number][]): number {
  const xs = points.map(([n]) => Math.log(n));
  const ys = points.map(([, t]) => Math.log(Math.max(t, 0.5)));
  const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
  const my = ys.reduce((a, b) => a + b, 0) / ys.length;
  let num = 0;
  let den = 0;
  for (let i = 0; i < xs.length; i++) {
    num += (xs[i]! - mx) * (ys[i]! - my);
    den += (xs[i]! - mx) ** 2;
  }
  return num / den;
}

const rows: Record<string, string>[] = [];
async function workload(name: string, unit: string, ns: number[], run: (n: number) => Promise<number>) {
  const points: [number, number][] = [];
  for (const n of ns) points.push([n, await run(n)]);
  const fmt = (us: number) => (us >= 10_000 ? `${(us / 1000).toFixed(0)} ms` : `${us.toFixed(0)} µs`);
  rows.push({
    workload: name,
    size: unit,
    times: points.map(([n, t]) => `${n}: ${fmt(t)}`).join(', '),
    exponent: exponent(points).toFixed(2),
  });
  console.log(`${name}: ${rows.at(-1)!.times} -> exponent ${rows.at(-1)!.exponent}`);
}

// --- payments: a new sale's cash payment with N records of history -------------------------
const letters = (k: number) => {
  let s = '';
  for (let i = 0; i < 26; i++) {
    s = String.fromCharCode(97 + (k % 26)) + s;
    k = Math.floor(k / 26);
  }
  return s;
};
/** N records of completed cash sales (four records each), as the session writes them. */
function history(n: number): PaymentRecord[] {
  const out: PaymentRecord[] = [];
  const at = Date.UTC(2026, 0, 1);
  for (let k = 0; out.length < n; k++) {
    const saleId = `old-${k}`;
    const attemptId = `pa_${letters(k)}`;
    const recs = [
      { type: 'session', saleId, at, total: '12.30', currency: 'EUR', acceptPartial: true },
      {
        type: 'attempt',
        saleId,
        at,
        attemptId,
        provider: 'cash',
        method: 'cash',
        currency: 'EUR',
        allowPartial: false,
        amount: '12.30',
        tendered: '20.00',
        change: '7.70',
        rounding: '0.00',
      },
      {
        type: 'outcome',
        saleId,
        at,
        attemptId,
        source: 'start',
        outcome: { status: 'approved', amount: '12.30' },
      },
      { type: 'complete', saleId, at },
    ];
    // Whole sales only (N rounded up to four records): a cut-off sale would be an open attempt.
    for (const r of recs) out.push(r as unknown as PaymentRecord);
  }
  return out;
}
let saleNo = 0;
async function payOnce(store: PaymentStore): Promise<void> {
  const session = await createPaymentSession({
    saleId: `new-${saleNo++}`,
    total: '12.30',
    currency: 'EUR',
    providers: [createCashProvider()],
    store,
  });
  await session.pay({ provider: 'cash', amount: '20.00' });
  await session.complete();
}
const paymentSizes = sizes([10, 1_000, 10_000, 100_000, 1_000_000]);
await workload('cash payment, memory store', 'records of history', paymentSizes, async (n) => {
  const store = createMemoryPaymentStore();
  for (const r of history(n)) await store.append(r);
  return time(() => payOnce(store), { max: 30 });
});
const dir = mkdtempSync(join(tmpdir(), 'kassa-scale-'));
const opens: [number, number][] = [];
await workload('cash payment, file store', 'records of history', paymentSizes, async (n) => {
  const path = join(dir, `payments-${n}.jsonl`);
  writeFileSync(
    path,
    history(n)
      .map((r) => `${JSON.stringify(r)}\n`)
      .join(''),
  );
  const s = cpu();
  const store = await openFilePaymentStore(path);
  opens.push([n, cpu() - s]);
  const micros = await time(() => payOnce(store), { max: 30 });
  await store.close();
  return micros;
});
rows.push({
  workload: 'open the file store',
  size: 'records of history',
  times: opens.map(([n, t]) => `${n}: ${(t / 1000).toFixed(1)} ms`).join(', '),
  exponent: exponent(opens).toFixed(2),
});
rmSync(dir, { recursive: true, force: true });

// --- customers and loyalty -------------------------------------------------------------------
const customerSizes = sizes([10, 1_000, 10_000, 100_000, 1_000_000]);
await workload('loyalty balance', 'customers', customerSizes, async (n) => {
  const ledger = createMemoryLoyaltyLedger();
  for (let i = 0; i < n; i++) await ledger.earn({ customerId: `c${i}`, saleId: `s${i}`, points: 100 });
  let k = 0;
  return time(() => ledger.balance(`c${k++ % n}`));
});
await workload('loyalty redeem', 'customers', customerSizes, async (n) => {
  const ledger = createMemoryLoyaltyLedger();
  for (let i = 0; i < n; i++) await ledger.earn({ customerId: `c${i}`, saleId: `s${i}`, points: 1000 });
  let k = 0;
  return time(() => ledger.redeem({ customerId: `c${k % n}`, saleId: `r${k++}`, points: 1 }));
});
const customerSizesFind = sizes([10, 1_000, 10_000, 100_000]);
for (const by of ['email', 'phone', 'group'] as const) {
  await workload(`customer find by ${by}`, 'customers', customerSizesFind, async (n) => {
    const list: Customer[] = Array.from({ length: n }, (_, i) => ({
      id: `c${i}`,
      name: 'Member',
      email: `m${i}@example.org`,
      phone: `+31 6 ${String(10_000_000 + i)}`,
      groups: i % 1000 === 7 ? ['vip'] : ['member'],
    }));
    const store = createMemoryCustomerStore(list);
    let k = 0;
    return time(() => {
      const i = k++ % n;
      return store.find(
        by === 'email'
          ? { email: `M${i}@example.org` }
          : by === 'phone'
            ? { phone: `+316${10_000_000 + i}` }
            : { group: 'vip' },
      );
    });
  });
}

// --- cart ------------------------------------------------------------------------------------
const features = { promotions: promotionsFeature, priceLists: priceListsFeature };
const taxCategories = { std: [{ id: 'vat-21', rate: '21' }], low: [{ id: 'vat-9', rate: '9' }] };
const lines = (n: number, categories: (i: number) => string[]) =>
  Array.from({ length: n }, (_, i) => ({
    id: `line-${String(i).padStart(7, '0')}`,
    sku: `SKU-${i}`,
    unitPrice: (1 + ((i * 37) % 1500) / 100).toFixed(2),
    quantity: 1,
    categories: categories(i),
    taxCategory: i % 3 === 0 ? 'std' : 'low',
  }));
const cartSizes = sizes([10, 100, 1_000, 10_000]);
await workload('priceCart with a 5 % and a 2.00 cart discount', 'lines', cartSizes, async (n) => {
  const cart: CartInput = {
    currency: 'EUR',
    pricesIncludeTax: true,
    lines: lines(n, () => ['x']),
    discounts: [
      { id: 'd1', kind: 'percent', value: '5' },
      { id: 'd2', kind: 'amount', value: '2.00' },
    ],
  };
  return time(() => priceCore(cart, { taxCategories }, features), { max: 20 });
});
await workload(
  'cart store: one more item rung up',
  'lines in the cart',
  sizes([10, 100, 300, 1_000]),
  async (n) => {
    const cart = createCart({ currency: 'EUR', rules: { taxCategories }, pricesIncludeTax: true, features });
    for (const l of lines(n, () => ['x'])) cart.add({ ...l, quantity: 1 });
    let k = 0;
    return time(
      () => {
        const id = cart.add({ sku: `EXTRA-${k++}`, unitPrice: '1.00', taxCategory: 'std' });
        cart.remove(id);
      },
      { max: 20 },
    );
  },
);

// --- promotions ------------------------------------------------------------------------------
const bundleSizes = sizes([10, 100, 400, 1_600, 3_200]);
const promoRun = (n: number, cats: (i: number) => string[], promotions: unknown[]) => {
  const cart: CartInput = { currency: 'EUR', pricesIncludeTax: true, lines: lines(n, cats) };
  const rules = { taxCategories, promotions } as PricingRules;
  const plain = { taxCategories } as PricingRules;
  return async () => {
    // The promotions' own cost: priced with them, less priced without.
    const withP = await time(() => priceCore(cart, rules, features), { max: 10 });
    const without = await time(() => priceCore(cart, plain, features), { max: 10 });
    return Math.max(1, withP - without);
  };
};
await workload('"any 3 for 5.00" bundle (promotion cost)', 'lines of the category', bundleSizes, (n) =>
  promoRun(n, () => ['drinks'], [
    {
      id: 'b',
      reward: { type: 'bundle', items: [{ target: { categories: ['drinks'] }, quantity: 3 }], price: '5.00' },
    },
  ])(),
);
await workload('"drink + snack" bundle (promotion cost)', 'lines', bundleSizes, (n) =>
  promoRun(n, (i) => [i % 2 ? 'drinks' : 'snacks'], [
    {
      id: 'b',
      reward: {
        type: 'bundle',
        items: [
          { target: { categories: ['drinks'] }, quantity: 1 },
          { target: { categories: ['snacks'] }, quantity: 1 },
        ],
        price: '3.00',
      },
    },
  ])(),
);
await workload('stacking threshold promotions on 200 lines', 'promotions', [5, 10, 20, 40, 80], (p) =>
  promoRun(
    200,
    (i) => [`c${i % 10}`],
    Array.from({ length: p }, (_, k) => ({
      id: `t${String(k).padStart(3, '0')}`,
      group: `g${k}`,
      conditions: { minAmount: String(400 + k * 15) },
      reward: { type: 'percent-off', percent: '1' },
    })),
  )(),
);

// --- receipts --------------------------------------------------------------------------------
await workload('buildReceipt per call', 'lines', [1, 10, 100], async (n) => {
  const cart = createCart({ currency: 'EUR', rules: { taxCategories }, pricesIncludeTax: true });
  for (const l of lines(n, () => ['x'])) cart.add(l);
  const priced = cart.snapshot();
  const sale = {
    cart: priced,
    tenders: [{ method: 'cash' as const, amount: priced.totals.cashTotal }],
    store: { name: 'Shop' },
    receiptNumber: 'R-1',
    time: '2026-11-27T14:03:00Z',
  };
  return time(() => buildReceipt(sale, defaultTemplate, { locale: 'nl-NL', timeZone: 'Europe/Amsterdam' }));
});

console.log(`\nNode ${process.version}, ${cpus()[0]?.model ?? 'unknown CPU'} x ${cpus().length}`);
console.log('CPU time per operation (median); exponent = slope of log(time) over log(size).\n');
console.log(table(rows));
