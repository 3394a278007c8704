import { describe, expect, it } from 'vitest';
import { scanDemoBarcodes, WEIGHED_GOUDA } from '../../examples/register/devices.js';
import { createCart, createMemoryCatalog } from '../../src/cart/index.js';
import { cartDisplayLines, createMemoryTransport, createPoleDisplay } from '../../src/devices/index.js';
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
  });
});
