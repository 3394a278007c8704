import { defineConfig } from 'tsup';

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
  checkout: 'src/checkout/index.ts',
};

export default defineConfig({
  entry: entries,
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  treeshake: true,
  splitting: true,
  target: 'es2022',
  platform: 'neutral',
  external: ['serialport', 'node:fs', 'node:fs/promises', 'node:net', 'node:crypto', 'node:path'],
});
