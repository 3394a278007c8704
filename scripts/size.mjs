// Bundle-size and purity check on the built package (run after `npm run build`).
// Bundles what an app would import, for the browser, minified, and fails on a budget
// overrun or on code that must never ship in that entry.
//
// The budgets are regression guards at today's size plus a little. They are above the
// targets of the issues (25 KB for the cart, 12 KB for receipts): decimal.js, the smallest
// zod/mini object schema and rxjs's Observable together are 19.5 KB gzip before any kassa
// code, so the cart's target cannot be met with the chosen tools. See bench/README.md.
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const checks = [
  {
    name: "import { priceCart, createCart } from 'kassa'",
    code: "export { priceCart, createCart } from './dist/index.js';",
    budget: 36 * 1024,
    forbidden: [
      'node:',
      'serialport',
      'WebHID',
      'requestDevice',
      'escpos',
      'ESC/POS',
      'payment_intent',
      'terminal',
    ],
  },
  {
    name: "import * from 'kassa/receipts'",
    code: "export * from './dist/receipts.js';",
    budget: 32 * 1024,
    forbidden: ['node:', 'serialport', 'requestDevice', 'decimal.js'],
  },
  {
    name: "import * from 'kassa/journal'",
    code: "export * from './dist/journal.js';",
    budget: 40 * 1024,
    forbidden: ['node:', 'better-sqlite3', 'pg-pool', 'fdatasync', 'datasync'],
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
    if (check.optional) {
      console.log(`skip  ${check.name}: ${error.message.split('\n')[0]}`);
      continue;
    }
    throw error;
  }
  const bytes = result.outputFiles[0].contents;
  const text = new TextDecoder().decode(bytes);
  const gzip = gzipSync(bytes, { level: 9 }).length;
  const leaks = check.forbidden.filter((word) => text.includes(word));
  const ok = gzip <= check.budget && leaks.length === 0;
  if (!ok) failed = true;
  console.log(
    `${ok ? 'ok   ' : 'FAIL '} ${check.name}: ${(gzip / 1024).toFixed(1)} KB gzip (budget ${(check.budget / 1024).toFixed(0)} KB, ${(bytes.length / 1024).toFixed(1)} KB minified)${leaks.length ? `; must not contain: ${leaks.join(', ')}` : ''}`,
  );
}
if (failed) process.exit(1);
