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

async function gzipSize(contents: string, external: string[] = []): Promise<number> {
  const result = await build({
    stdin: { contents, resolveDir: process.cwd(), loader: 'ts' },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    write: false,
    external,
  });
  return gzipSync(result.outputFiles[0]!.contents, { level: 9 }).length;
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

console.log('| import | gzip bytes |');
console.log('|---|---:|');
for (const [name, contents] of cases)
  console.log(`| ${name} | ${(await gzipSize(contents)).toLocaleString('en-US')} |`);
const whole = cases[0]![1];
const withoutZod = await gzipSize(whole, ['zod', 'zod/*']);
const zodShare = (await gzipSize(whole)) - withoutZod;
console.log(
  `| whole entry point, zod left out (zod's share: ${zodShare.toLocaleString('en-US')}) | ${withoutZod.toLocaleString('en-US')} |`,
);
