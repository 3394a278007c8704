import {
  BarcodeFormat,
  BinaryBitmap,
  DecodeHintType,
  HybridBinarizer,
  MultiFormatReader,
  RGBLuminanceSource,
} from '@zxing/library';
import jsQR from 'jsqr';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildReceipt,
  decodeEscPos,
  defaultTemplate,
  epsonTmT88,
  type ReceiptBlock,
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

/** The SVG as Chromium paints it: grey levels, one byte per pixel. */
async function paint(svg: string): Promise<{ grey: Uint8ClampedArray; width: number; height: number }> {
  const painted = await page.evaluate(async (source) => {
    const img = new Image();
    img.src = `data:image/svg+xml;base64,${btoa(unescape(encodeURIComponent(source)))}`;
    await img.decode();
    const canvas = document.createElement('canvas');
    canvas.width = img.width;
    canvas.height = img.height;
    const ctx = canvas.getContext('2d')!;
    ctx.drawImage(img, 0, 0);
    const rgba = ctx.getImageData(0, 0, img.width, img.height).data;
    let binary = '';
    for (let i = 0; i < rgba.length; i += 4) binary += String.fromCharCode(rgba[i + 1]!);
    return { grey: btoa(binary), width: img.width, height: img.height };
  }, svg);
  return { ...painted, grey: new Uint8ClampedArray(Buffer.from(painted.grey, 'base64')) };
}

function readQr(p: { grey: Uint8ClampedArray; width: number; height: number }): string | undefined {
  const rgba = new Uint8ClampedArray(p.grey.length * 4);
  for (let i = 0; i < p.grey.length; i++) {
    rgba[i * 4] = rgba[i * 4 + 1] = rgba[i * 4 + 2] = p.grey[i]!;
    rgba[i * 4 + 3] = 255;
  }
  return jsQR(rgba, p.width, p.height)?.data;
}

function readBarcode(
  p: { grey: Uint8ClampedArray; width: number; height: number },
  format: BarcodeFormat,
): string {
  const hints = new Map<DecodeHintType, unknown>([
    [DecodeHintType.POSSIBLE_FORMATS, [format]],
    [DecodeHintType.TRY_HARDER, true],
  ]);
  const bitmap = new BinaryBitmap(new HybridBinarizer(new RGBLuminanceSource(p.grey, p.width, p.height)));
  return new MultiFormatReader().decode(bitmap, hints).getText();
}

describe('QR codes and barcodes of the SVG preview, painted by Chromium, read by scanners', () => {
  it('the QR code of a decoded ESC/POS job reads as the data the job sent', async () => {
    const bytes = toEscPos(buildReceipt(returnSale(), defaultTemplate, { locale: 'de-DE' }), epsonTmT88);
    const painted = await paint(toSvg(decodeEscPos(bytes, { profile: epsonTmT88 })));
    expect(readQr(painted)).toBe('https://kaasboer.example/r/R-2026-000130');
  });

  it('QR codes at every level and module size read back', async () => {
    for (const [errorLevel, size] of [
      ['L', 3],
      ['M', 6],
      ['Q', 4],
      ['H', 8],
    ] as const) {
      const data = `https://kaasboer.example/r/R-2026-000130?level=${errorLevel}`;
      const painted = await paint(toSvg({ columns: 42, blocks: [{ type: 'qr', data, errorLevel, size }] }));
      expect(readQr(painted), `${errorLevel} ${size}`).toBe(data);
    }
  });

  it('barcodes read back as the value the printer encodes', async () => {
    const cases: [ReceiptBlock, BarcodeFormat, string][] = [
      [
        { type: 'barcode', symbology: 'code128', value: 'R-2026-000124' },
        BarcodeFormat.CODE_128,
        'R-2026-000124',
      ],
      [{ type: 'barcode', symbology: 'ean13', value: '400638133393' }, BarcodeFormat.EAN_13, '4006381333931'],
      [{ type: 'barcode', symbology: 'ean8', value: '9638507' }, BarcodeFormat.EAN_8, '96385074'],
      [{ type: 'barcode', symbology: 'upca', value: '03600029145' }, BarcodeFormat.UPC_A, '036000291452'],
      [{ type: 'barcode', symbology: 'code39', value: 'KASSA-42' }, BarcodeFormat.CODE_39, 'KASSA-42'],
      [{ type: 'barcode', symbology: 'itf', value: '00012345678905' }, BarcodeFormat.ITF, '00012345678905'],
      [{ type: 'barcode', symbology: 'codabar', value: 'A40156B' }, BarcodeFormat.CODABAR, 'A40156B'],
      [{ type: 'barcode', symbology: 'code93', value: 'Kassa 93!' }, BarcodeFormat.CODE_93, 'Kassa 93!'],
    ];
    for (const [block, format, expected] of cases) {
      const painted = await paint(toSvg({ columns: 42, blocks: [block] }));
      expect(readBarcode(painted, format), JSON.stringify(block)).toBe(expected);
    }
  });
});
