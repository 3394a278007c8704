import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildReceipt,
  decodeEscPos,
  defaultTemplate,
  epsonTmT88,
  toEscPos,
  toHtml,
  toSvg,
} from '../../src/receipts/index.js';
import { returnSale, splitSale } from './fixtures.js';

// The previews are checked where people see them: in a real browser.
let browser: Browser;
let page: Page;
const requests: string[] = [];

beforeAll(async () => {
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  page = await browser.newPage({ viewport: { width: 375, height: 800 } });
  page.on('request', (r) => {
    if (!r.url().startsWith('data:') && r.url() !== 'about:blank') requests.push(r.url());
  });
}, 60_000);

afterAll(async () => {
  await browser?.close();
});

const doc = buildReceipt(splitSale(), defaultTemplate, { locale: 'nl-NL', timeZone: 'Europe/Amsterdam' });

describe('HTML receipt in Chromium', () => {
  it('loads nothing from the network and fits a phone screen without scrolling sideways', async () => {
    requests.length = 0;
    await page.setContent(toHtml(doc), { waitUntil: 'load' });
    expect(requests).toEqual([]);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
  });

  it('right-aligns the amounts of the totals in one column', async () => {
    await page.setContent(toHtml(doc), { waitUntil: 'load' });
    const edges = await page.evaluate(() =>
      Array.from(document.querySelectorAll('td'))
        .filter((td) => td.style.textAlign === 'right' && /^-?[0-9.,]+$/.test(td.textContent ?? ''))
        .map((td) => {
          const range = document.createRange();
          range.selectNodeContents(td);
          return Math.round(range.getBoundingClientRect().right);
        }),
    );
    expect(edges.length).toBeGreaterThan(5);
    // Amount columns end where the row ends, whichever row they are in (tax-code columns aside).
    const most = Math.max(...edges);
    expect(edges.filter((e) => e === most).length).toBeGreaterThan(3);
  });
});

describe('SVG preview in Chromium', () => {
  for (const [name, svg] of [
    ['toSvg', toSvg(doc)],
    [
      'decoded ESC/POS',
      toSvg(
        decodeEscPos(toEscPos(buildReceipt(returnSale(), defaultTemplate, { locale: 'de-DE' }), epsonTmT88), {
          profile: epsonTmT88,
        }),
      ),
    ],
  ] as const) {
    it(`${name}: no remote resources, and every word fills exactly its cells in the local font`, async () => {
      requests.length = 0;
      await page.setContent(`<!DOCTYPE html><body style="margin:0">${svg}</body>`, { waitUntil: 'load' });
      expect(requests).toEqual([]);
      const widths = await page.evaluate(() =>
        Array.from(document.querySelectorAll('text'))
          .filter((t) => t.hasAttribute('textLength'))
          .map((t) => ({
            wanted: Number(t.getAttribute('textLength')),
            got: (t as SVGTextElement).getComputedTextLength(),
          })),
      );
      expect(widths.length).toBeGreaterThan(20);
      for (const w of widths) expect(Math.abs(w.got - w.wanted)).toBeLessThan(1);
      const size = await page.evaluate(() => {
        const box = document.querySelector('svg')!.getBoundingClientRect();
        return { width: box.width, height: box.height };
      });
      expect(size.width).toBe(42 * 12 + 24);
      expect(size.height).toBeGreaterThan(600);
    });
  }
});
