// The published declarations, as a user gets them: packs the built package (`npm pack`),
// installs the tarball into a fresh project, and type-checks a storefront script and a till
// script against it under `nodenext` (what `tsc --init` writes), `node16` and `bundler`
// resolution, strict, WITHOUT skipLibCheck. Run after `npm run build`; CI runs it.
//
// Offline-friendly: the install prefers npm's cache (`--prefer-offline`), which `npm ci` of
// this repository has just filled with every version it needs.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const keep = process.argv.includes('--keep');
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
const version = (name) =>
  JSON.parse(readFileSync(join(root, 'node_modules', name, 'package.json'), 'utf8')).version;

const work = mkdtempSync(join(tmpdir(), 'kassa-package-'));
const run = (command, args, cwd) =>
  execFileSync(command, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

// `?` marks a value a real app gets from elsewhere; `IsAny` turns a leaked `any` into an error.
const prelude = `
type IsAny<T> = 0 extends 1 & T ? true : false;
function notAny<T>(_value: T, ok: IsAny<T> extends true ? never : true): void {}
`;

const storefront = `import {
  createCart,
  createMemoryCatalog,
  Decimal,
  format,
  isKassaError,
  type Money,
  money,
  priceCart,
  type PricingRules,
} from 'kassa';
import type { LoyaltyProgram } from 'kassa/customers';
import { createCashProvider, createMemoryPaymentStore, createPaymentSession } from 'kassa/payments';
import { type Promotion, promotionsFeature } from 'kassa/promotions';
import { buildReceipt, defaultTemplate, toText } from 'kassa/receipts';
${prelude}
// Rules in a variable keep their literal types with \`satisfies\`; readonly arrays are fine.
const rules = {
  taxCategories: { standard: [{ id: 'vat-21', rate: '21' }] },
  rounding: { tax: 'per-line', cash: { step: '0.05' } },
} as const satisfies PricingRules;
const promotions: readonly Promotion[] = [];
const program: LoyaltyProgram | undefined = undefined;
void program;

const catalog = createMemoryCatalog([{ sku: 'wine', name: 'Rioja', unitPrice: '7.49', taxCategory: 'standard' }]);
const cart = createCart({
  currency: 'EUR',
  pricesIncludeTax: true,
  catalog,
  rules: { ...rules, promotions },
  features: { promotions: promotionsFeature },
});
cart.add({ sku: 'wine', quantity: 2 });
const priced = priceCart({ currency: 'EUR', lines: [] }, rules);
void priced.totals.total;

// decimal.js through kassa: a Decimal, never \`any\`.
const m: Money = money('12.10', 'EUR');
notAny(m.amount, true);
const d = new Decimal('1.5');
notAny(d, true);
const sum: Decimal = m.amount.plus(d);
console.log(format(money(sum, 'EUR'), 'nl-NL'));

const session = await createPaymentSession({
  saleId: 'S-1',
  total: cart.snapshot().totals.total,
  currency: 'EUR',
  providers: [createCashProvider()],
  store: createMemoryPaymentStore(),
});
await session.pay({ provider: 'cash', amount: '20.00' });
// Tenders pass from the session to the receipt as they are (a readonly array).
const receipt = buildReceipt(
  {
    cart: cart.snapshot(),
    tenders: session.snapshot().tenders,
    store: { name: 'Shop' },
    receiptNumber: 'R-1',
    time: '2026-01-01T00:00:00Z',
  },
  defaultTemplate,
);
console.log(toText(receipt));
try {
  cart.add({ sku: 'nope' });
} catch (error) {
  if (isKassaError(error)) console.log(error.code);
}
`;

const till = `import {
  createHidPosScanner,
  createPrinter,
  createWebHidTransport,
  createWebSerialTransport,
  switchToHidPos,
} from 'kassa/devices';
import { epsonTmT20 } from 'kassa/receipts';
void epsonTmT20;

const [device] = await navigator.hid.requestDevice({ filters: [] });
if (device) {
  const scanner = createHidPosScanner({ transport: createWebHidTransport({ device, onOpen: switchToHidPos }) });
  scanner.scans$.subscribe((scan) => console.log(scan.data));
}
const port = await navigator.serial.requestPort();
const printer = createPrinter({ transport: createWebSerialTransport({ port, baudRate: 38400 }) });
void printer;
`;

const modes = {
  nodenext: { module: 'nodenext', moduleResolution: 'nodenext' },
  node16: { module: 'node16', moduleResolution: 'node16' },
  bundler: { module: 'esnext', moduleResolution: 'bundler' },
};

let failed = false;
try {
  run('npm', ['pack', '--pack-destination', work, '--silent'], root);
  const tarball = join(
    work,
    `kassa-${JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version}.tgz`,
  );
  const listing = run('tar', ['-tzf', tarball], work);
  for (const expected of ['package/README.md', 'package/docs/cart.md', 'package/dist/index.d.ts']) {
    if (!listing.includes(expected)) {
      console.log(`FAIL  the tarball has no ${expected.slice('package/'.length)}`);
      failed = true;
    }
  }
  const app = join(work, 'app');
  mkdirSync(app);
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'app', private: true, type: 'module' }));
  // The three DOM device type packages are optional peer dependencies of kassa/devices.
  const types = ['@types/w3c-web-hid', '@types/w3c-web-serial', '@types/w3c-web-usb'].map(
    (n) => `${n}@${version(n)}`,
  );
  run('npm', ['install', tarball, ...types, '--prefer-offline', '--no-audit', '--no-fund', '--silent'], app);
  writeFileSync(join(app, 'storefront.ts'), storefront);
  writeFileSync(join(app, 'till.ts'), till);
  for (const [name, resolution] of Object.entries(modes)) {
    const config = {
      compilerOptions: {
        target: 'es2022',
        lib: ['es2023', 'dom', 'dom.iterable'],
        ...resolution,
        strict: true,
        noUncheckedIndexedAccess: true,
        exactOptionalPropertyTypes: true,
        verbatimModuleSyntax: resolution.module === 'esnext',
        skipLibCheck: false,
        noEmit: true,
        // What `tsc --init` of TypeScript 5.9 writes: no ambient @types unless a file asks.
        types: [],
      },
      files: ['storefront.ts', 'till.ts'],
    };
    writeFileSync(join(app, `tsconfig.${name}.json`), JSON.stringify(config, null, 2));
    try {
      run(process.execPath, [tsc, '-p', `tsconfig.${name}.json`], app);
      console.log(`ok    the packed declarations type-check under ${name} (strict, no skipLibCheck)`);
    } catch (error) {
      failed = true;
      console.log(`FAIL  the packed declarations under ${name}:\n${error.stdout || error.message}`);
    }
  }
} finally {
  if (keep) console.log(`kept ${work}`);
  else rmSync(work, { recursive: true, force: true });
}
if (failed) process.exit(1);
