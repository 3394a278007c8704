/**
 * The kassa demo: a day at a till, end to end, on the console, wired by `createCheckout`.
 *   shift with a float → sales (scans, a weighed label, a promotion, a loyalty customer, split
 *   tender) → a parked and recalled sale → a return → cash drop, no-sale → count and close
 * The hardware is simulated with in-memory transports; everything else is the real library.
 * Run it with `npm run demo`. Files go to `out/demo/`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { playDay } from './day.js';

async function main(): Promise<void> {
  console.log('kassa demo: a day at a Dutch grocery till (prices include VAT, cash rounds to 0.05)\n');
  const day = await playDay((line) => console.log(line));
  const outDir = join(process.cwd(), 'out', 'demo');
  mkdirSync(outDir, { recursive: true });
  for (const receipt of day.receipts) {
    writeFileSync(join(outDir, `${receipt.number}.escpos.bin`), receipt.escpos);
    writeFileSync(join(outDir, `${receipt.number}.svg`), receipt.svg);
  }
  const entries = await day.journal.read();
  writeFileSync(join(outDir, 'journal.jsonl'), entries.map((e) => JSON.stringify(e)).join('\n'));
  console.log(
    `\nThe first receipt, as printed (${day.printerBytes} bytes of ESC/POS went to the printer):\n`,
  );
  console.log(day.receipts[0]?.text);
  console.log(`files: ${outDir}/ (receipts as ESC/POS and SVG, journal.jsonl)`);
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
