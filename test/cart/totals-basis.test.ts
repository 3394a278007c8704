import { describe, expect, it } from 'vitest';
import { line, pct, price } from './helpers.js';

const vat = pct('vat', '19');

describe('totals are in one declared basis', () => {
  it('a net cart with a line entered gross: the subtotal is net (issue #11 §1.1)', () => {
    const c = price('EUR', [
      line('a', '11.90', 1, [vat], { priceIncludesTax: true }),
      line('b', '10.00', 1, [vat]),
    ]);
    expect(c.totals).toMatchObject({
      subtotal: '20.00',
      discount: '0.00',
      net: '20.00',
      tax: '3.80',
      total: '23.80',
    });
    // The line itself stays in its own price mode.
    expect(c.lines[0]!.subtotal).toBe('11.90');
  });

  it('a gross cart with a line entered net: the subtotal and discount are gross', () => {
    const c = price(
      'EUR',
      [
        line('a', '10.00', 1, [vat], {
          priceIncludesTax: false,
          discounts: [{ id: 'd', kind: 'percent', value: '10' }],
        }),
        line('b', '11.90', 1, [vat]),
      ],
      {},
      { pricesIncludeTax: true },
    );
    // Line a: 10.00 net is 11.90 gross; 10 % off leaves 9.00 net + 1.71 tax = 10.71.
    expect(c.totals).toMatchObject({ subtotal: '23.80', discount: '1.19', total: '22.61' });
  });

  it('a net cart with a discounted gross line: subtotal - discount = net', () => {
    const c = price('EUR', [
      line('a', '11.90', 2, [vat], {
        priceIncludesTax: true,
        discounts: [{ id: 'd', kind: 'amount', value: '2.38' }],
      }),
      line('b', '10.00', 1, [vat]),
    ]);
    // 23.80 gross is 20.00 net; 2.38 gross off is 2.00 net off.
    expect(c.totals).toMatchObject({ subtotal: '30.00', discount: '2.00', net: '28.00' });
  });
});
