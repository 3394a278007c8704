import { defineConfig, type Options } from 'tsup';

// Each subpath export is its own entry so that importing the cart never pulls in
// device drivers or payment providers.
export const entries: Record<string, string> = {
  index: 'src/index.ts',
  payments: 'src/payments/index.ts',
  devices: 'src/devices/index.ts',
  receipts: 'src/receipts/index.ts',
  'payments-node': 'src/payments/node.ts',
  'devices-node': 'src/devices/node.ts',
  customers: 'src/customers/index.ts',
  promotions: 'src/cart/promotions/index.ts',
  journal: 'src/journal/index.ts',
  'journal-node': 'src/journal/node.ts',
  'journal-receiver': 'src/journal/receiver/index.ts',
  checkout: 'src/checkout/index.ts',
  'payments-stripe-terminal': 'src/payments/providers/stripe/index.ts',
  'payments-square-terminal': 'src/payments/providers/square/index.ts',
  'payments-adyen-terminal': 'src/payments/providers/adyen/index.ts',
  'payments-proxy': 'src/payments/proxy/index.ts',
  inventory: 'src/inventory/index.ts',
  'inventory-node': 'src/inventory/node.ts',
  reports: 'src/reports/index.ts',
};

const shared: Options = {
  sourcemap: true,
  clean: false, // `npm run build` empties dist first; both configs write into it
  target: 'es2022',
  platform: 'neutral',
  external: [
    'serialport',
    'better-sqlite3',
    'pg',
    'node:http',
    'node:fs',
    'node:fs/promises',
    'node:net',
    'node:crypto',
    'node:path',
  ],
};

export default defineConfig([
  // ESM, one file per source module (dist/money/format.js, ...), not bundled: an app's
  // bundler then drops whole modules it does not use (`sideEffects: false`). Bundled chunks
  // would merge modules into files whose top-level statements (schemas built at load time)
  // no bundler can prove unused, so `import { money }` carried the cart's schemas and zod.
  // scripts/post-build.mjs writes dist/<entry>.js for the entries whose module lives deeper.
  { ...shared, entry: ['src/**/*.ts'], format: ['esm'], bundle: false, dts: false },
  // CommonJS for `require`, bundled per entry (Node does not care about bundle size), with
  // the declarations; scripts/post-build.mjs copies them to the ESM dist/<entry>.d.ts.
  { ...shared, entry: entries, format: ['cjs'], dts: true, splitting: true, treeshake: true },
]);
