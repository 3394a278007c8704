/**
 * The receipts part of the register demo: the sale's receipt as text for the screen, ESC/POS
 * bytes for a thermal printer, an SVG preview and an email HTML.
 *
 * `renderDemoReceipt(sale)` is called by the main demo (examples/register/demo.ts), which
 * prints `text` and writes `escpos` and `svg` to files.
 */
import type { PricedCart } from '../../src/cart/types.js';
import {
  buildReceipt,
  decodeEscPos,
  defaultTemplate,
  epsonTmT88,
  type ImageBlock,
  type PrinterProfile,
  type ReceiptDocument,
  type ReceiptSale,
  type ReceiptTender,
  toEscPos,
  toHtml,
  toSvg,
  toText,
} from '../../src/receipts/index.js';

/** What the demo knows about a sale; the rest (store, number, time) has demo defaults. */
export interface DemoSale {
  cart: PricedCart;
  tenders: ReceiptTender[];
  receiptNumber?: string;
  /** ISO 8601; default a fixed time, so the demo prints the same receipt every run. */
  time?: string;
  cashier?: string;
  copy?: boolean;
  loyalty?: ReceiptSale['loyalty'];
}

/** Options of {@link renderDemoReceipt}. */
export interface DemoReceiptOptions {
  /** Default `'nl-NL'`. */
  locale?: string;
  /** Default Epson TM-T88 (42 columns). */
  profile?: PrinterProfile;
}

/** The receipt in every form the demo shows. */
export interface DemoReceipt {
  document: ReceiptDocument;
  /** Monospace text for the console. */
  text: string;
  /** The print job for the printer (write it to a file, or `cat` it to /dev/usb/lp0). */
  escpos: Uint8Array;
  /** A preview of the receipt as the printer lays it out. */
  svg: string;
  /** The print job decoded back and drawn: what the printer was actually told. */
  decodedSvg: string;
  /** The email version. */
  html: string;
}

/** A 160 x 64 logo drawn in code (a wedge of cheese with holes), to show image dithering. */
function demoLogo(): ImageBlock {
  const width = 160;
  const height = 64;
  const pixels = new Uint8Array(width * height).fill(255);
  const holes = [
    [70, 40, 7],
    [95, 30, 5],
    [112, 46, 6],
    [58, 52, 4],
  ] as const;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const inWedge = y > 12 && x > 30 && x < 130 && y > 12 + ((130 - x) * 12) / 100 - 12 && y < 60;
      if (!inWedge) continue;
      const inHole = holes.some(([hx, hy, r]) => (x - hx) ** 2 + (y - hy) ** 2 <= r * r);
      // A grey body and black rind: the grey shows the dithering.
      pixels[y * width + x] = inHole ? 255 : y > 55 || x < 33 || x > 127 ? 0 : 150;
    }
  }
  return { type: 'image', width, height, pixels };
}

/**
 * Renders the demo sale's receipt as text, ESC/POS, SVG and HTML.
 *
 * @example
 * ```ts
 * const receipt = renderDemoReceipt({ cart: cart.snapshot(), tenders: [{ method: 'cash', amount: '50.00', change: '3.15' }] });
 * console.log(receipt.text);
 * writeFileSync('receipt.bin', receipt.escpos);
 * writeFileSync('receipt.svg', receipt.svg);
 * ```
 */
export function renderDemoReceipt(sale: DemoSale, options: DemoReceiptOptions = {}): DemoReceipt {
  const profile = options.profile ?? epsonTmT88;
  const document = buildReceipt(
    {
      cart: sale.cart,
      tenders: sale.tenders,
      store: {
        name: 'Kaas & Koffie',
        address: ['Markt 12', '2611 GW Delft'],
        vatNumber: 'NL001234567B01',
        website: 'kaasenkoffie.example',
        logo: demoLogo(),
      },
      receiptNumber: sale.receiptNumber ?? 'R-2026-000123',
      time: sale.time ?? '2026-11-27T14:03:00Z',
      cashier: sale.cashier ?? 'Anna',
      register: '1',
      ...(sale.copy !== undefined ? { copy: sale.copy } : {}),
      ...(sale.loyalty ? { loyalty: sale.loyalty } : {}),
    },
    defaultTemplate,
    { locale: options.locale ?? 'nl-NL', columns: profile.fonts.A, timeZone: 'Europe/Amsterdam' },
  );
  const escpos = toEscPos(document, profile);
  return {
    document,
    text: toText(document),
    escpos,
    svg: toSvg(document),
    decodedSvg: toSvg(decodeEscPos(escpos, { profile })),
    html: toHtml(document),
  };
}
