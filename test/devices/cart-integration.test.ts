import { describe, expect, it } from 'vitest';
import { scanDemoBarcodes, WEIGHED_GOUDA } from '../../examples/register/devices.js';
import { renderDemoReceipt } from '../../examples/register/receipts.js';
import { createCart, createMemoryCatalog } from '../../src/cart/index.js';
import {
  cartDisplayLines,
  createCashDrawer,
  createMemoryTransport,
  createPoleDisplay,
  createPrinter,
} from '../../src/devices/index.js';
import { decodeEscPos } from '../../src/receipts/index.js';
import { until } from './fakes/scenarios.js';

describe('scans to the real cart store', () => {
  it('the demo scans become cart lines, the weighed cheese with its label weight', async () => {
    const r = await scanDemoBarcodes();
    expect(r.commands).toEqual([
      { sku: 'pen-blue', quantity: '1' },
      { sku: 'cola-033', quantity: '1' },
      { sku: 'cola-033', quantity: '1' },
      { sku: 'gouda', quantity: '0.375', unitPrice: '12.90' },
      { sku: 'coffee-500', quantity: '1' },
    ]);
    expect(r.rejected).toEqual([{ data: '8710398500367', code: 'barcode.invalid_check_digit' }]);
    expect(r.scans.every((s) => s.symbology === 'ean-13')).toBe(true);
    expect(r.scans.map((s) => s.data)).toContain(WEIGHED_GOUDA);

    const catalog = createMemoryCatalog([
      { sku: 'pen-blue', name: 'Ballpoint pen', unitPrice: '1.99' },
      { sku: 'cola-033', name: 'Cola 0.33 l', unitPrice: '1.29' },
      { sku: 'coffee-500', name: 'Coffee beans 500 g', unitPrice: '7.49' },
      { sku: 'gouda', name: 'Gouda', unitPrice: '12.90', unit: 'kg' },
    ]);
    const cart = createCart({ currency: 'EUR', catalog });

    // the pole display follows the real cart through the structural CartLike type
    const { transport, device } = createMemoryTransport();
    await transport.open();
    const display = createPoleDisplay({ transport });
    const stop = display.follow(cart);

    for (const c of r.commands) cart.add(c);
    const priced = cart.snapshot();
    const gouda = priced.lines.find((l) => l.sku === 'gouda')!;
    expect(gouda.quantity).toBe('0.375');
    expect(gouda.total).toBe('4.84'); // 0.375 kg x 12.90, rounded half-up
    const expected = cartDisplayLines(priced);
    await until(
      () => String.fromCharCode(...device.writtenBytes()).includes(expected[1]),
      'display shows the total',
    );
    expect(display.shown()).toEqual(expected);
    stop();

    // the receipt kassa/receipts renders goes to the printer byte for byte, then the drawer opens
    const receipt = renderDemoReceipt({
      cart: priced,
      tenders: [{ method: 'cash', amount: '50.00', change: '0.00' }],
    });
    const link = createMemoryTransport({ chunkSize: 512 });
    const printer = createPrinter({ transport: link.transport, asb: false });
    const drawer = createCashDrawer({ printer });
    await link.transport.open();
    await printer.print(receipt.escpos, { jobId: 'R-2026-000123' });
    await printer.print(receipt.escpos, { jobId: 'R-2026-000123' }); // a retry: not printed again
    await drawer.open();
    const written = link.device.writtenBytes();
    expect(written.length).toBe(receipt.escpos.length + 5);
    expect(Buffer.from(written.subarray(0, receipt.escpos.length)).equals(Buffer.from(receipt.escpos))).toBe(
      true,
    );
    expect(Array.from(written.subarray(receipt.escpos.length))).toEqual([0x1b, 0x70, 0, 50, 100]);
    expect(JSON.stringify(decodeEscPos(written.subarray(0, receipt.escpos.length)))).toContain('Gouda');
  });
});
