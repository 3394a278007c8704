import { mkdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The kiosk example end to end in Debian's headless Chromium: a fake HID scanner scans three
// items, the customer pays on the simulated terminal, the receipt preview appears.

let server: Server;
let browser: Browser;
let url = '';
let fakeHid = '';

const bundle = async (entry: string, format: 'esm' | 'iife') =>
  (
    await build({
      entryPoints: [fileURLToPath(new URL(entry, import.meta.url))],
      bundle: true,
      format,
      platform: 'browser',
      target: 'chrome120',
      write: false,
      logLevel: 'silent',
    })
  ).outputFiles[0]!.text;

beforeAll(async () => {
  const js = await bundle('../../examples/kiosk/main.ts', 'esm');
  fakeHid = await bundle('./kiosk-fake-hid.ts', 'iife');
  const html = readFileSync(new URL('../../examples/kiosk/index.html', import.meta.url), 'utf8');
  server = createServer((req, res) => {
    if (req.url === '/bundle.js') {
      res.writeHead(200, { 'content-type': 'text/javascript' });
      res.end(js);
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end(html);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  url = `http://127.0.0.1:${(server.address() as { port: number }).port}/`;
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await new Promise((r) => server?.close(r));
});

describe('the kiosk example in headless Chromium', () => {
  it('scans three items with a HID scanner, takes a card payment and shows the receipt', async () => {
    const page = await browser.newPage({ viewport: { width: 900, height: 1200 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.addInitScript({ content: fakeHid });
    await page.goto(url);
    await page.waitForSelector('#app[data-ready="true"]');
    await expect.poll(() => page.textContent('#scanner-status')).toBe('Scanner: Voyager 1400g');

    for (const gtin of ['8712345000011', '8712345000028', '8712345000035']) {
      await page.evaluate((g) => (window as unknown as { fakeScan(d: string): void }).fakeScan(g), gtin);
    }
    await expect.poll(() => page.locator('#lines li').count()).toBe(3);
    // A misread (bad check digit) is refused on screen and never becomes a line.
    await page.evaluate(() => (window as unknown as { fakeScan(d: string): void }).fakeScan('8712345000012'));
    await expect.poll(() => page.textContent('#message')).toContain('Not found');
    await page.click('[data-gtin="8712345000035"]'); // the on-screen fallback
    await expect.poll(() => page.locator('#lines li').count()).toBe(3); // merged into the croissant line
    const total = await page.textContent('#total');

    await page.click('#pay');
    await page.waitForSelector('#receipt svg');
    expect(await page.textContent('#message')).toBe('Thank you!');
    // The SVG sets text per column, so spaces are layout, not characters.
    const receiptText = (await page.locator('#receipt svg').textContent())!.replace(/\s/g, '');
    expect(receiptText).toContain('Coffeebeans500g');
    expect(receiptText).toContain(`TOTAAL${total!.replace(/\s/g, '')}`);
    const out = join(process.cwd(), 'out', 'examples');
    mkdirSync(out, { recursive: true });
    await page.screenshot({ path: join(out, 'kiosk.png'), fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  });
});
