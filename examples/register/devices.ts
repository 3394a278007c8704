/**
 * The devices part of the register demo: a serial barcode scanner (over an in-memory
 * transport standing in for the USB cable) reads a few items, including a weighed
 * cheese whose label carries its weight, and each scan becomes a cart add command.
 *
 * `scanDemoBarcodes()` is called by the main demo (examples/register/demo.ts).
 */
import {
  type CartAddCommand,
  type CatalogItem,
  createMemoryTransport,
  createSerialScanner,
  normalizeGtin,
  parseBarcode,
  priceCheckDigit,
  type Scan,
  toAddCommand,
  withCheckDigit,
} from '../../src/devices/index.js';

/** The demo shop's products, keyed by GTIN (the weighed cheese by its zero-weight item code). */
const PRODUCTS: Array<CatalogItem & { gtin: string }> = [
  { gtin: '4006381333931', sku: 'pen-blue', name: 'Ballpoint pen', unitPrice: '1.99' },
  { gtin: '5449000000996', sku: 'cola-033', name: 'Cola 0.33 l', unitPrice: '1.29' },
  { gtin: '8710398500366', sku: 'coffee-500', name: 'Coffee beans 500 g', unitPrice: '7.49' },
  // German in-store code 28 1234 for a cheese sold by the kilo; the scale label adds the weight
  {
    gtin: withCheckDigit(`281234${priceCheckDigit('00000')}00000`),
    sku: 'gouda',
    name: 'Gouda',
    unitPrice: '12.90',
    unit: 'kg',
  },
];

/** The scale label of 375 g of Gouda: 28 1234 C 00375 K. */
export const WEIGHED_GOUDA = withCheckDigit(`281234${priceCheckDigit('00375')}00375`);

/** What {@link scanDemoBarcodes} returns. */
export interface DemoScanResult {
  /** Add commands for the cart, in scan order: `{ sku, quantity, unitPrice? }`. */
  commands: CartAddCommand[];
  /** Scans that did not become a line, with the reason code. */
  rejected: Array<{ data: string; code: string }>;
  /** The raw scans, with symbology and source. */
  scans: Scan[];
  /** The devices a real till would use for this, one line each. */
  devices: string[];
}

/**
 * Feeds realistic scans through a serial scanner driver and turns them into cart add
 * commands: three EAN-13 items (one scanned twice), a weighed EAN-13 with an embedded
 * weight (0.375 kg), and a misread with a wrong check digit that must not become a line.
 */
export async function scanDemoBarcodes(): Promise<DemoScanResult> {
  const { transport, device } = createMemoryTransport({ label: 'serial scanner (simulated)' });
  const scanner = createSerialScanner({ transport, id: 'checkout-scanner' });
  const catalogByGtin = new Map(PRODUCTS.map((p) => [normalizeGtin(p.gtin)!, p]));
  const catalog = { lookupByGtin: (gtin: string) => catalogByGtin.get(gtin) };

  const scans: Scan[] = [];
  const commands: CartAddCommand[] = [];
  const rejected: Array<{ data: string; code: string }> = [];
  scanner.scans$.subscribe((scan) => {
    scans.push(scan);
    const parsed = parseBarcode(scan.data, { variableMeasure: 'DE', symbology: scan.symbology });
    const result = toAddCommand(parsed, catalog);
    if (result.ok) commands.push(result.command);
    else rejected.push({ data: scan.data, code: result.error.code });
  });

  await transport.open();
  // The scanner sends an AIM identifier (]E0 = EAN-13) and a CR after each code.
  for (const code of [
    '4006381333931',
    '5449000000996',
    '5449000000996',
    WEIGHED_GOUDA,
    '8710398500367',
    '8710398500366',
  ]) {
    device.send(`]E0${code}\r`);
  }
  scanner.dispose();
  await transport.close();

  return {
    commands,
    rejected,
    scans,
    devices: [
      'Barcode scanner: serial (CR suffix, AIM ids) — or HID POS over WebHID, or keyboard wedge',
      'Receipt printer: ESC/POS over WebUSB, WebSerial, Node serial or TCP 9100, status via ASB',
      'Cash drawer: kick pulse on pin 2 through the printer',
      'Customer display: 2x20 pole display (Epson command set) following the cart',
      'Scale: Toledo 8217 at 9600 7E1 for loose produce (this demo uses label weights)',
    ],
  };
}

// Run on its own: `node --import tsx examples/register/devices.ts`
if (import.meta.url === `file://${process.argv[1]}`) {
  scanDemoBarcodes().then((r) => {
    console.log(r.devices.join('\n'));
    console.table(r.commands);
    console.table(r.rejected);
  });
}
