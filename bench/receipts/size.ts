/**
 * Browser bundle size of `kassa/receipts`: the whole entry point and what typical apps import,
 * minified ESM for the browser, gzip -9.
 *
 *   node --import tsx bench/receipts/size.ts
 */
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const entry = fileURLToPath(new URL('../../src/receipts/index.ts', import.meta.url));

// A piece of the QR encoder's tables: only code that draws QR codes (toSvg) may carry it;
// toEscPos sends the data and lets the printer draw the symbol.
const QR_MARK = '0710152026';

async function bundle(contents: string, external: string[] = []): Promise<{ gzip: number; qr: boolean }> {
  const result = await build({
    stdin: { contents, resolveDir: process.cwd(), loader: 'ts' },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    write: false,
    external,
  });
  const out = result.outputFiles[0]!;
  return { gzip: gzipSync(out.contents, { level: 9 }).length, qr: out.text.includes(QR_MARK) };
}

const cases: [string, string][] = [
  ['whole entry point', `export * from ${JSON.stringify(entry)};`],
  [
    'buildReceipt + toEscPos',
    `export { buildReceipt, defaultTemplate, toEscPos, epsonTmT20 } from ${JSON.stringify(entry)};`,
  ],
  ['toEscPos only (own documents)', `export { toEscPos, epsonTmT20 } from ${JSON.stringify(entry)};`],
  ['buildReceipt + toHtml', `export { buildReceipt, toHtml } from ${JSON.stringify(entry)};`],
  ['buildReceipt + toSvg', `export { buildReceipt, toSvg } from ${JSON.stringify(entry)};`],
  ['decodeEscPos + toSvg', `export { decodeEscPos, toSvg } from ${JSON.stringify(entry)};`],
];

console.log('| import | gzip bytes | QR encoder |');
console.log('|---|---:|---|');
for (const [name, contents] of cases) {
  const { gzip, qr } = await bundle(contents);
  console.log(`| ${name} | ${gzip.toLocaleString('en-US')} | ${qr ? 'yes' : 'no'} |`);
}
const whole = cases[0]![1];
const withoutZod = (await bundle(whole, ['zod', 'zod/*'])).gzip;
const zodShare = (await bundle(whole)).gzip - withoutZod;
console.log(
  `| whole entry point, zod left out (zod's share: ${zodShare.toLocaleString('en-US')}) | ${withoutZod.toLocaleString('en-US')} | yes |`,
);
