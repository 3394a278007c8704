// Bundle-size and purity check on the built package (run after `npm run build`).
// Bundles what an app would import, for the browser, minified with esbuild, and fails on a
// budget overrun (gzip) or on code that must never ship in that entry.
//
// Two kinds of checks: every browser subpath imported whole (`export *`), which guards
// against a regression in any entry, and the imports of issue #13 with their budgets: what a
// storefront, a price display, a kiosk's devices, a receipt printer and a whole till ship.
// `node scripts/size.mjs --json` prints the figures as JSON for bench/README.md.
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

// Kilobytes of 1000 bytes, as the budgets of issue #13 were measured.
const KB = 1000;
// Nothing Node-only may reach a browser bundle: no built-in, no Node transport or store.
const nodeOnly = [
  'node:',
  'serialport',
  'createServer',
  'createSerialPortTransport',
  'createTcpTransport',
  'openFilePaymentStore',
];
const devices = ['requestDevice', 'navigator.hid', 'navigator.serial', 'navigator.usb'];
const providers = ['payment_intent', 'terminal_api', 'SaleToPOIRequest'];

// The budgets of issue #13's imports are regression guards at the size measured when they were
// last merged; the issue's targets are printed beside them and are not all met yet (see the
// issue and bench/README.md). A guard fails CI; a missed target is reported, not hidden.
const BUDGET_32 = 38.5; // 37.44 measured
const BUDGET_15 = 16.5; // 15.88 measured
const BUDGET_27 = 31.5; // 30.76 measured
const BUDGET_15R = 18.3; // 17.74 measured
const BUDGET_75 = 93; // 90.67 measured

const checks = [
  // The imports of issue #13.
  {
    name: "{ priceCart, createCart } from 'kassa'",
    code: "export { priceCart, createCart } from './dist/index.js';",
    budget: BUDGET_32 * KB,
    target: 32 * KB,
    forbidden: [...nodeOnly, ...devices, ...providers, 'ESC/POS'],
  },
  {
    name: "{ money, format } from 'kassa'",
    code: "export { money, format } from './dist/index.js';",
    budget: BUDGET_15 * KB,
    target: 15 * KB,
    forbidden: [...nodeOnly, ...devices, ...providers, 'taxCategories'],
  },
  {
    name: "* from 'kassa/devices'",
    code: "export * from './dist/devices.js';",
    budget: BUDGET_27 * KB,
    target: 27 * KB,
    // decimal.js (its messages say `[DecimalError]`) for a unit conversion was 12.7 KB of it.
    forbidden: [...nodeOnly, ...providers, 'DecimalError'],
  },
  {
    name: "{ toEscPos } from 'kassa/receipts'",
    code: "export { toEscPos } from './dist/receipts.js';",
    budget: BUDGET_15R * KB,
    target: 15 * KB,
    forbidden: [...nodeOnly, ...devices, ...providers],
  },
  {
    name: 'a full till (cart, promotions, customers, payments, devices, receipts)',
    code: [
      "export { createCart, createMemoryCatalog, money, format } from './dist/index.js';",
      "export { promotionsFeature, priceListsFeature } from './dist/promotions.js';",
      "export { loyaltyFeature, createMemoryCustomerStore } from './dist/customers.js';",
      "export { createPaymentSession, createCashProvider, createMemoryPaymentStore, recoverPayments } from './dist/payments.js';",
      "export { createHidPosScanner, createKeyboardWedgeScanner, createPrinter, createCashDrawer, createWebHidTransport, createWebSerialTransport, createWebUsbTransport, parseBarcode } from './dist/devices.js';",
      "export { buildReceipt, toEscPos, toHtml } from './dist/receipts.js';",
    ].join('\n'),
    budget: BUDGET_75 * KB,
    target: 75 * KB,
    forbidden: nodeOnly,
  },
  // Every browser subpath, whole: regression guards at today's size plus a little.
  {
    name: "* from 'kassa'",
    code: "export * from './dist/index.js';",
    budget: 42 * KB, // 40.2 KB after the merge of the checkout work
    forbidden: [...nodeOnly, ...devices, ...providers],
  },
  // 68.1 KB with returns, e-mail and the journal's entry schemas (issue #13 set no budget for it).
  {
    name: "* from 'kassa/checkout'",
    code: "export * from './dist/checkout.js';",
    budget: 70 * KB,
    forbidden: nodeOnly,
  },
  {
    name: "* from 'kassa/promotions'",
    code: "export * from './dist/promotions.js';",
    budget: 40 * KB,
    forbidden: [...nodeOnly, ...devices, ...providers],
  },
  {
    name: "* from 'kassa/customers'",
    code: "export * from './dist/customers.js';",
    budget: 40 * KB,
    forbidden: [...nodeOnly, ...devices, ...providers],
  },
  {
    name: "* from 'kassa/payments'",
    code: "export * from './dist/payments.js';",
    budget: 45 * KB,
    forbidden: [...nodeOnly, ...devices],
  },
  {
    name: "* from 'kassa/receipts'",
    code: "export * from './dist/receipts.js';",
    budget: 34 * KB,
    forbidden: [...nodeOnly, ...devices, ...providers, 'decimal.js'],
  },
  {
    name: "import * from 'kassa/journal'",
    code: "export * from './dist/journal.js';",
    budget: 40 * 1024,
    forbidden: ['node:', 'better-sqlite3', 'pg-pool', 'fdatasync', 'datasync'],
  },
  {
    name: "* from 'kassa/inventory'",
    code: "export * from './dist/inventory.js';",
    budget: 40 * KB,
    forbidden: [...nodeOnly, ...devices, ...providers, 'better-sqlite3'],
  },
  {
    name: "* from 'kassa/reports'",
    code: "export * from './dist/reports.js';",
    budget: 40 * KB,
    forbidden: [...nodeOnly, ...devices, ...providers],
  },
  // Each terminal subpath ships its own provider only (see test/bundle/terminals-bundle.test.ts).
  {
    name: "import * from 'kassa/payments/stripe-terminal'",
    code: "export * from './dist/payments-stripe-terminal.js';",
    budget: 22 * 1024,
    forbidden: ['node:', 'SaleToPOIRequest', '/v2/terminals/checkouts'],
  },
  {
    name: "import * from 'kassa/payments/square-terminal'",
    code: "export * from './dist/payments-square-terminal.js';",
    budget: 29 * 1024,
    forbidden: ['node:', 'SaleToPOIRequest', 'process_payment_intent'],
  },
  {
    name: "import * from 'kassa/payments/adyen-terminal'",
    code: "export * from './dist/payments-adyen-terminal.js';",
    budget: 30 * 1024,
    forbidden: ['node:', 'process_payment_intent', '/v2/terminals/checkouts'],
  },
];

const json = process.argv.includes('--json');
const results = [];
let failed = false;
for (const check of checks) {
  let result;
  try {
    result = await build({
      stdin: { contents: check.code, resolveDir: process.cwd(), loader: 'js' },
      bundle: true,
      minify: true,
      format: 'esm',
      platform: 'browser',
      write: false,
      logLevel: 'silent',
    });
  } catch (error) {
    // A missing export or entry is a failure, never a skip: the import would break for users.
    failed = true;
    console.log(`FAIL  ${check.name}: does not bundle: ${String(error.message).split('\n')[0]}`);
    continue;
  }
  const bytes = result.outputFiles[0].contents;
  const text = new TextDecoder().decode(bytes);
  const gzip = gzipSync(bytes, { level: 9 }).length;
  const leaks = check.forbidden.filter((word) => text.includes(word));
  const ok = gzip <= check.budget && leaks.length === 0;
  const target =
    check.target === undefined
      ? ''
      : `; issue #13 target ${(check.target / KB).toFixed(0)} KB ${gzip <= check.target ? 'met' : 'NOT met'}`;
  if (!ok) failed = true;
  results.push({ name: check.name, gzip, minified: bytes.length, budget: check.budget, ok, leaks });
  if (!json)
    console.log(
      `${ok ? 'ok   ' : 'FAIL '} ${check.name}: ${(gzip / KB).toFixed(2)} KB gzip (budget ${(check.budget / KB).toFixed(1)} KB, ${(bytes.length / KB).toFixed(1)} KB minified)${target}${leaks.length ? `; must not contain: ${leaks.join(', ')}` : ''}`,
    );
}
if (json) console.log(JSON.stringify(results, null, 2));
if (failed) process.exit(1);
