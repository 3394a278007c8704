/**
 * Worked examples from public references, each with its source. Where kassa's convention
 * differs from the reference, the test shows both: what kassa computes, and the rules that
 * reproduce the reference (or why it cannot be reproduced).
 */
import { describe, expect, it } from 'vitest';
import { division, fixed, line, pct, price, taxAmounts, taxBases } from './helpers.js';

describe('Odoo 10 account tax tests (odoo/odoo addons/account/tests/test_tax.py)', () => {
  it('1. percent 10 % on 200 (test_tax_percent_division): 20.00 tax, 220.00 total', () => {
    const c = price('EUR', [line('a', '200', 1, [pct('p10', '10')])]);
    expect([c.totals.net, c.totals.tax, c.totals.total]).toEqual(['200.00', '20.00', '220.00']);
  });

  it('2. division 10 % on 200, price excluded (test_tax_percent_division): 22.22 tax, 222.22 total', () => {
    // A division tax is 10 % of the price that includes it: 200 / 0.9 × 0.1 = 22.222…
    const c = price('EUR', [line('a', '200', 1, [division('d10', '10')])]);
    expect([c.totals.tax, c.totals.total]).toEqual(['22.22', '222.22']);
  });

  it('3. percent 10 % inside a price of 200 (test_tax_percent_division): 181.82 + 18.18', () => {
    const c = price('EUR', [line('a', '200', 1, [pct('p10', '10', { priceIncluded: true })])]);
    expect([c.totals.net, c.totals.tax, c.totals.total]).toEqual(['181.82', '18.18', '200.00']);
  });

  it('4. fixed 10 and percent 10 % on 200 (test_tax_group): 10 + 20, total 230', () => {
    const c = price('EUR', [line('a', '200', 1, [fixed('f10', '10'), pct('p10', '10')])]);
    expect(taxAmounts(c)).toEqual(['10.00', '20.00']);
    expect(c.totals.total).toBe('230.00');
  });

  it('5. a fixed tax in the base of the next (test_tax_include_base_amount): 10 + 21, total 231', () => {
    // Odoo's include_base_amount on the fixed tax is kassa's `compound` on the tax after it.
    const c = price('EUR', [line('a', '200', 1, [fixed('f10', '10'), pct('p10', '10', { compound: true })])]);
    expect(taxAmounts(c)).toEqual(['10.00', '21.00']);
    expect(taxBases(c)[1]).toBe('210.00');
    expect(c.totals.total).toBe('231.00');
  });

  it('6. taxes applied by sequence, not by position (test_tax_sequence_normalized_set): 252.22', () => {
    const c = price('EUR', [
      line('a', '200', 1, [
        pct('p10', '10', { sequence: 3 }),
        fixed('f10', '10', { sequence: 2 }),
        division('d10', '10', { sequence: 1 }),
      ]),
    ]);
    expect(c.lines[0]!.taxes.map((t) => [t.id, t.amount])).toEqual([
      ['d10', '22.22'],
      ['f10', '10.00'],
      ['p10', '20.00'],
    ]);
    expect(c.totals.total).toBe('252.22');
  });

  it('7. group of groups (test_tax_group_of_group_tax): Odoo 263; kassa compound differs, rules reproduce it', () => {
    // Odoo: only taxes flagged include_base_amount enter later bases, so the 4th tax is 10 % of
    // 200 + 10 + 10 = 220. kassa's `compound` puts *every* earlier tax in the base: 241 → 24.10.
    const kassa = price('EUR', [
      line('a', '200', 1, [
        fixed('f1', '10', { sequence: 1 }),
        pct('p1', '10', { sequence: 2, compound: true }),
        fixed('f2', '10', { sequence: 3 }),
        pct('p2', '10', { sequence: 4, compound: true }),
      ]),
    ]);
    expect(taxAmounts(kassa)).toEqual(['10.00', '21.00', '10.00', '24.10']);
    // Reproducing Odoo: each 10 % is 10 % of the net plus a fixed 1.00 per fixed tax before it.
    const odoo = price('EUR', [
      line('a', '200', 1, [
        fixed('f1', '10'),
        pct('p1', '10'),
        fixed('p1-base', '1'),
        fixed('f2', '10'),
        pct('p2', '10'),
        fixed('p2-base', '2'),
      ]),
    ]);
    expect(odoo.totals.total).toBe('263.00');
  });

  it('8. five taxes, three inside the price of 132 (test_advanced_taxes_computation_0): 100 net, 154 total', () => {
    // Odoo: tax 1 (10 %, included, include_base_amount) then four 10 % taxes on 110 each,
    // two of them included. kassa's compound would chain them; instead, a 10 % tax on a base
    // of net × 1.1 is an 11 % tax on the net.
    const c = price('EUR', [
      line('a', '132', 1, [
        pct('t1', '10', { priceIncluded: true }),
        pct('t2', '11', { priceIncluded: false }),
        pct('t3', '11', { priceIncluded: true }),
        pct('t4', '11', { priceIncluded: false }),
        pct('t5', '11', { priceIncluded: true }),
      ]),
    ]);
    expect(c.lines[0]!.net).toBe('100.00');
    expect(taxAmounts(c)).toEqual(['10.00', '11.00', '11.00', '11.00', '11.00']);
    expect(c.totals.total).toBe('154.00');
  });
});

describe('Odoo 17+ tax computation tests (odoo/odoo addons/account/tests/test_taxes_computation.py)', () => {
  it('9. 8 % and 0 % inside 124.40, round per line (test_random_case_1): 115.19 + 9.21', () => {
    const c = price(
      'EUR',
      [line('a', '124.40', 1, [pct('p8', '8'), pct('p0', '0')])],
      {},
      { pricesIncludeTax: true },
    );
    expect([c.lines[0]!.net, ...taxAmounts(c)]).toEqual(['115.19', '9.21', '0.00']);
  });

  for (const [gross, net, tax] of [
    ['5.00', '4.75', '0.25'],
    ['10.00', '9.50', '0.50'],
    ['50.00', '47.60', '2.40'],
  ] as const) {
    it(`10. 5 % inside ${gross}, rounded to 0.05 (test_random_case_2): ${net} + ${tax}`, () => {
      const c = price(
        'CHF',
        [line('a', gross, 1, [pct('p5', '5')])],
        { rounding: { step: '0.05' } },
        { pricesIncludeTax: true },
      );
      expect([c.lines[0]!.net, c.lines[0]!.tax, c.lines[0]!.total]).toEqual([net, tax, gross]);
    });
  }

  it('11. 15 % on top of a price of 2300 that includes 5.5 % (test_random_case_3): 2627.01', () => {
    const c = price('EUR', [
      line('a', '2300', 1, [
        pct('p15', '15', { priceIncluded: false }),
        pct('p55', '5.5', { priceIncluded: true }),
      ]),
    ]);
    expect([c.lines[0]!.net, ...taxAmounts(c), c.totals.total]).toEqual([
      '2180.09',
      '327.01',
      '119.91',
      '2627.01',
    ]);
  });

  it('12. 12 % inside 52.50 (test_random_case_4): 46.87 + 5.63 (5.625 rounds half up)', () => {
    const c = price('EUR', [line('a', '52.50', 1, [pct('p12', '12')])], {}, { pricesIncludeTax: true });
    expect([c.lines[0]!.net, c.lines[0]!.tax]).toEqual(['46.87', '5.63']);
  });

  for (const [entered, included, net, tax, total] of [
    ['22689', false, '22689', '4311', '27000'],
    ['9176', false, '9176', '1743', '10919'],
    ['27000', true, '22689', '4311', '27000'],
    ['10920', true, '9176', '1744', '10920'],
  ] as const) {
    it(`13. 19 % in a 0-decimal currency, ${entered} ${included ? 'included' : 'excluded'} (test_random_case_5)`, () => {
      const c = price('JPY', [line('a', entered, 1, [pct('p19', '19')])], {}, { pricesIncludeTax: included });
      expect([c.totals.net, c.totals.tax, c.totals.total]).toEqual([net, tax, total]);
    });
  }

  it('14. the same 19 % on 22689 in a 2-decimal currency (test_random_case_5, round_globally): 4310.91', () => {
    const c = price('EUR', [line('a', '22689', 1, [pct('p19', '19')])]);
    expect(c.totals.tax).toBe('4310.91');
  });

  it('15. 21 % inside 11.90 and 2.80 (test_random_case_7): 9.83 + 2.07, 2.31 + 0.49', () => {
    const c = price(
      'EUR',
      [line('a', '11.90', 1, [pct('v', '21')]), line('b', '2.80', 1, [pct('v', '21')])],
      {},
      { pricesIncludeTax: true },
    );
    expect(c.lines.map((l) => [l.net, l.tax])).toEqual([
      ['9.83', '2.07'],
      ['2.31', '0.49'],
    ]);
  });

  it('16. withholding as a negative rate (test_random_case_8) is rejected: kassa taxes are never negative', () => {
    // Odoo computes -20 % withholding, then 4 % in the base of 22 %: 50 → 53.44. kassa has no
    // negative taxes (a withholding is a payment matter, not a sales tax): the input is refused.
    expect(() =>
      price('EUR', [line('a', '50', 1, [pct('w', '-20'), pct('p4', '4'), pct('p22', '22')])]),
    ).toThrow(
      expect.objectContaining({
        code: 'validation.invalid_amount',
        details: expect.objectContaining({ path: ['lines', 0, 'taxes', 0, 'rate'] }),
      }),
    );
    // Without the withholding, the rest of the example matches Odoo: 2.00 and 22 % of 52 = 11.44.
    const c = price('EUR', [line('a', '50', 1, [pct('p4', '4'), pct('p22', '22', { compound: true })])]);
    expect(taxAmounts(c)).toEqual(['2.00', '11.44']);
  });

  it('17. a 100 % division tax (test_random_case_9) is rejected: the net would be zero', () => {
    expect(() =>
      price('EUR', [line('a', '100', 1, [division('d', '100', { priceIncluded: true })])]),
    ).toThrow(expect.objectContaining({ code: 'validation.invalid_amount' }));
    // 99 % still works and follows the same formula: 100 × 0.99 = 99 of tax, 1 of net.
    const c = price('EUR', [line('a', '100', 1, [division('d', '99', { priceIncluded: true })])]);
    expect([c.lines[0]!.net, c.lines[0]!.tax]).toEqual(['1.00', '99.00']);
  });

  it('18. fixed 1, 21 %, fixed 2 on 5 × 20 (test_fixed_taxes_for_l10n_be): 136', () => {
    const c = price('EUR', [line('a', '20', 5, [fixed('f1', '1'), pct('p21', '21'), fixed('f2', '2')])]);
    expect(taxAmounts(c)).toEqual(['5.00', '21.00', '10.00']);
    expect(c.totals.total).toBe('136.00');
  });

  it('19. the fixed tax in the base of the 21 % (test_fixed_taxes_for_l10n_be): 5 × 19 → 131', () => {
    const c = price('EUR', [
      line('a', '19', 5, [fixed('f1', '1'), pct('p21', '21', { compound: true }), fixed('f2', '2')]),
    ]);
    expect(taxAmounts(c)).toEqual(['5.00', '21.00', '10.00']);
    expect(taxBases(c)[1]).toBe('100.00');
    expect(c.totals.total).toBe('131.00');
  });

  it('20. Indian GST 6 + 6 + 3 % on 100 (test_percent_taxes_for_l10n_in): 115', () => {
    const c = price('INR', [line('a', '100', 1, [pct('cgst', '6'), pct('sgst', '6'), pct('cess', '3')])]);
    expect(c.totals.total).toBe('115.00');
  });

  it('21. 6 % in the base of the other two (l10n_in, tax1 include_base_amount): 115.54 via an equivalent rate', () => {
    // Odoo: tax2 and tax3 are on 106 (net + tax1 only). kassa's compound on tax3 would also
    // include tax2, so tax3 is written as 3 % × 1.06 = 3.18 % of the net.
    const c = price('INR', [
      line('a', '100', 1, [pct('t1', '6'), pct('t2', '6', { compound: true }), pct('t3', '3.18')]),
    ]);
    expect(taxAmounts(c)).toEqual(['6.00', '6.36', '3.18']);
    expect(c.totals.total).toBe('115.54');
  });

  it('22. every tax in the base of the next (l10n_in, tax1 and tax2 include_base_amount): 115.73', () => {
    // Odoo rounds globally to 115.7308; per line, 3.3708 is 3.37.
    const c = price('INR', [
      line('a', '100', 1, [
        pct('t1', '6'),
        pct('t2', '6', { compound: true }),
        pct('t3', '3', { compound: true }),
      ]),
    ]);
    expect(taxBases(c)).toEqual(['100.00', '106.00', '112.36']);
    expect(c.totals.total).toBe('115.73');
  });

  it('23. five Brazilian division taxes on 32.33 (test_division_taxes_for_l10n_br): kassa differs, equivalent rates reproduce', () => {
    const rates = ['5', '3', '0.65', '9', '15'];
    // kassa: each division tax is its rate of the price including *that* tax alone.
    const kassa = price('BRL', [
      line(
        'a',
        '32.33',
        1,
        rates.map((r, i) => division(`t${i}`, r)),
      ),
    ]);
    expect(taxAmounts(kassa)[0]).toBe('1.70'); // 32.33 × 5 / 95
    // Odoo: all division taxes are shares of one gross, 32.33 / (1 − 0.3265) = 48.00297.
    // The same as percent taxes of r / 0.6735 on the net (to 6 decimals):
    const equivalent = ['7.423905', '4.454343', '0.965108', '13.363029', '22.271715'];
    const odoo = price('BRL', [
      line(
        'a',
        '32.33',
        1,
        equivalent.map((r, i) => pct(`t${i}`, r)),
      ),
    ]);
    expect(taxAmounts(odoo)).toEqual(['2.40', '1.44', '0.31', '4.32', '7.20']);
    expect(odoo.totals.total).toBe('48.00');
  });
});

describe('WooCommerce tax unit tests (woocommerce/woocommerce tests/unit-tests/tax.php)', () => {
  it('24. 20 % VAT on 9.99 (test_calc_tax): 1.665 inside, 1.998 on top, rounded to the penny', () => {
    const inside = price('GBP', [line('a', '9.99', 1, [pct('vat', '20')])], {}, { pricesIncludeTax: true });
    const onTop = price('GBP', [line('a', '9.99', 1, [pct('vat', '20')])]);
    // WooCommerce keeps 1.665 to 4 decimals; kassa rounds each line tax half up to 1.67.
    expect([inside.lines[0]!.net, inside.lines[0]!.tax]).toEqual(['8.32', '1.67']);
    expect([onTop.lines[0]!.tax, onTop.totals.total]).toEqual(['2.00', '11.99']);
  });

  it('25. Canadian GST 5 % and compound PST 8.5 % on 100 (test_calc_compound_tax): 5.00 + 8.93', () => {
    // WooCommerce: 8.925 unrounded; kassa rounds it half up.
    const c = price('CAD', [line('a', '100', 1, [pct('gst', '5'), pct('pst', '8.5', { compound: true })])]);
    expect(taxAmounts(c)).toEqual(['5.00', '8.93']);
    expect(c.totals.total).toBe('113.93');
  });

  it('26. the same taxes inside a price of 100 (test_calc_compound_tax): 4.3889 and 7.8341', () => {
    const c = price(
      'CAD',
      [line('a', '100', 1, [pct('gst', '5'), pct('pst', '8.5', { compound: true })])],
      {},
      { pricesIncludeTax: true },
    );
    expect(taxAmounts(c)).toEqual(['4.39', '7.83']);
    expect(c.lines[0]!.net).toBe('87.78');
    // To 4 decimals, as WooCommerce reports them: kassa rounds to a 0.0001 step (CLF has 4 decimals).
    const fine = price(
      'CLF',
      [line('a', '100', 1, [pct('gst', '5'), pct('pst', '8.5', { compound: true })])],
      {},
      { pricesIncludeTax: true },
    );
    expect(taxAmounts(fine)).toEqual(['4.3889', '7.8341']);
  });
});

describe('Saleor and Vendure', () => {
  it('27. Saleor flat rate 23 % on PLN 10.00 (saleor/saleor saleor/tax/tests/test_calculations.py): 12.30 / 8.13', () => {
    const onTop = price('PLN', [line('a', '10.00', 1, [pct('vat', '23')])]);
    const inside = price('PLN', [line('a', '10.00', 1, [pct('vat', '23')])], {}, { pricesIncludeTax: true });
    expect(onTop.totals.total).toBe('12.30');
    expect(inside.totals.net).toBe('8.13');
  });

  it('28. Vendure 20 % on 1.23 (vendure-ecommerce/vendure order-calculator.spec.ts "single line"): 1.48', () => {
    const c = price('USD', [line('a', '1.23', 1, [pct('std', '20')])]);
    expect(c.totals.total).toBe('1.48');
  });

  it('29. Vendure 3 × 1.23 ("single line, multiple items"): 4.44 is per-unit rounding; per line gives 4.43', () => {
    // Vendure rounds the unit price with tax (1.476 → 1.48) and multiplies: kassa's `per-unit`.
    const perUnit = price('USD', [line('a', '1.23', 3, [pct('std', '20')])], {
      rounding: { tax: 'per-unit' },
    });
    const perLine = price('USD', [line('a', '1.23', 3, [pct('std', '20')])]);
    expect([perUnit.totals.net, perUnit.totals.total]).toEqual(['3.69', '4.44']);
    expect(perLine.totals.total).toBe('4.43');
  });

  it('30. Vendure prices including 20 % ("prices include tax"): 1.00 gross is 0.83 net, 5.00 is 4.17', () => {
    const c = price(
      'USD',
      [line('a', '1.00', 1, [pct('std', '20')]), line('s', '5.00', 1, [pct('std', '20')])],
      {},
      { pricesIncludeTax: true },
    );
    expect(c.lines.map((l) => l.net)).toEqual(['0.83', '4.17']);
  });

  it('31. Vendure 50 % off 83.33 net ("percentage items discount"): 41.67 net, 50.00 gross with half-down', () => {
    // Vendure rounds the discounted price (41.665 → 41.67); kassa rounds the discount
    // (41.665 → 41.67 off), leaving 41.66. Half-down rounding of the discount reproduces Vendure.
    const d = { id: 'half', kind: 'percent' as const, value: '50' };
    const kassa = price('USD', [line('a', '83.33', 1, [pct('std', '20')], { discounts: [d] })]);
    expect([kassa.totals.net, kassa.totals.total]).toEqual(['41.66', '49.99']);
    const vendure = price('USD', [line('a', '83.33', 1, [pct('std', '20')], { discounts: [d] })], {
      rounding: { mode: 'half-down' },
    });
    expect([vendure.totals.net, vendure.totals.total]).toEqual(['41.67', '50.00']);
  });
});

describe('published VAT and cash rounding rules', () => {
  it('32. HMRC VAT Notice 700 §17.5 (gov.uk VATREC12010): per line, rounded down per line, or per total', () => {
    // Three lines of 0.99 at 20 %: each line's VAT is 0.198.
    const lines = ['a', 'b', 'c'].map((id) => line(id, '0.99', 1, [pct('vat', '20')]));
    const perLine = price('GBP', lines); // round each line: 0.20 × 3
    const roundedDown = price('GBP', lines, { rounding: { mode: 'down' } }); // invoice traders may round down: 0.19 × 3
    const perTotal = price('GBP', lines, { rounding: { tax: 'per-total' } }); // 2.97 × 20 % = 0.594
    expect([perLine.totals.tax, roundedDown.totals.tax, perTotal.totals.tax]).toEqual([
      '0.60',
      '0.57',
      '0.59',
    ]);
    // Per total, the lines still add up: the cent is taken from the line with the smallest remainder.
    expect(perTotal.lines.map((l) => l.tax)).toEqual(['0.20', '0.20', '0.19']);
  });

  it('33. Swedish receipt, whole-krona cash rounding (marinasundstrom/OrderPriceCalculator PriceCalculator.feature)', () => {
    const c = price(
      'SEK',
      [line('a', '12.90', 2, [pct('v12', '12')]), line('b', '100', 1, [pct('v25', '25')])],
      { rounding: { cash: { step: '1' } } },
      { pricesIncludeTax: true },
    );
    expect(c.lines.map((l) => [l.net, l.tax, l.total])).toEqual([
      ['23.04', '2.76', '25.80'],
      ['80.00', '20.00', '100.00'],
    ]);
    expect([c.totals.net, c.totals.tax, c.totals.total]).toEqual(['103.04', '22.76', '125.80']);
    expect([c.totals.cashRounding, c.totals.cashTotal]).toEqual(['0.20', '126.00']);
  });

  it('34. Swedish 50-öre rounding of 1992–2010 (Wikipedia "Swedish rounding" receipts): 223.20 → 223.00, 65.40 → 65.50', () => {
    const at = (gross: string) =>
      price('SEK', [line('a', gross, 1)], { rounding: { cash: { step: '0.50' } } }).totals;
    expect([at('223.20').cashTotal, at('223.20').cashRounding]).toEqual(['223.00', '-0.20']);
    expect([at('65.40').cashTotal, at('65.40').cashRounding]).toEqual(['65.50', '0.10']);
  });

  it('35. Australian 5-cent cash rounding (Reserve Bank of Australia, via Wikipedia "Cash rounding"): 20.42 → 20.40, 20.43 → 20.45', () => {
    const at = (gross: string) =>
      price('AUD', [line('a', gross, 1)], { rounding: { cash: { step: '0.05' } } }).totals.cashTotal;
    expect([at('20.42'), at('20.43')]).toEqual(['20.40', '20.45']);
  });

  it('36. Canadian penny rounding (Government of Canada, "Phasing out the penny", 2013): 1.01, 1.02 → 1.00; 1.03, 1.04 → 1.05; 1.06, 1.07 → 1.05', () => {
    const at = (gross: string) =>
      price('CAD', [line('a', gross, 1)], { rounding: { cash: { step: '0.05' } } }).totals.cashTotal;
    expect(['1.01', '1.02', '1.03', '1.04', '1.06', '1.07', '1.08'].map(at)).toEqual([
      '1.00',
      '1.00',
      '1.05',
      '1.05',
      '1.05',
      '1.05',
      '1.10',
    ]);
  });

  it('37. Dutch 5-cent rounding of the total only (De Nederlandsche Bank, afrondingsregel since 2004): tax untouched, 9.97 → 9.95', () => {
    const c = price('EUR', [line('a', '8.38', 1, [pct('v19', '19')])], {
      rounding: { cash: { step: '0.05' } },
    });
    // 8.38 + 1.59 = 9.97; cash pays 9.95. The VAT stays 1.59: cash rounding is not a discount.
    expect([c.totals.tax, c.totals.total, c.totals.cashTotal, c.totals.cashRounding]).toEqual([
      '1.59',
      '9.97',
      '9.95',
      '-0.02',
    ]);
  });

  it('38. Swiss VAT 8.1 % and 2.6 % (ESTV rates since 2024) with 5-rappen rounding (as Odoo test_random_case_2)', () => {
    const c = price(
      'CHF',
      [line('a', '4.90', 3, [pct('mwst', '8.1')]), line('b', '2.35', 1, [pct('red', '2.6')])],
      { rounding: { step: '0.05', cash: { step: '0.05' } } },
      { pricesIncludeTax: true },
    );
    // 14.70 / 1.081 → VAT 1.1017 → 1.10; 2.35 / 1.026 → 0.0596 → 0.05.
    expect(c.lines.map((l) => l.tax)).toEqual(['1.10', '0.05']);
    expect([c.totals.total, c.totals.cashRounding]).toEqual(['17.05', '0.00']);
  });

  it('39. EU Regulation 1103/97 art. 5: exact halves round up (kassa default half-up)', () => {
    // 0.25 × 19 % = 0.0475 → 0.05; 0.50 × 5 % = 0.025 → 0.03 (half up), 0.02 with half-even.
    const c = price('EUR', [
      line('a', '0.25', 1, [pct('v19', '19')]),
      line('b', '0.50', 1, [pct('v5', '5')]),
    ]);
    expect(c.lines.map((l) => l.tax)).toEqual(['0.05', '0.03']);
    const even = price('EUR', [line('b', '0.50', 1, [pct('v5', '5')])], { rounding: { mode: 'half-even' } });
    expect(even.lines[0]!.tax).toBe('0.02');
  });

  it('40. Bahrain VAT 10 % (NBR, since 2022) in a 3-decimal currency (ISO 4217: BHD 3): 1.234 → 0.123', () => {
    const c = price('BHD', [line('a', '1.234', 3, [pct('vat', '10')])]);
    // 3.702 × 10 % = 0.3702 → 0.370 (per line); per unit 0.1234 → 0.123 × 3 = 0.369.
    expect([c.totals.net, c.totals.tax, c.totals.total]).toEqual(['3.702', '0.370', '4.072']);
    const perUnit = price('BHD', [line('a', '1.234', 3, [pct('vat', '10')])], {
      rounding: { tax: 'per-unit' },
    });
    expect(perUnit.totals.tax).toBe('0.369');
  });

  it('42. Japan qualified invoices (National Tax Agency, インボイス制度 Q&A): tax rounded once per rate per invoice', () => {
    // Since October 2023 a qualified invoice rounds the consumption tax once per rate: kassa's
    // per-total policy. Rounding down is the usual choice. Per line would give 35 yen, not 37.
    const lines = [
      line('a', '98', 1, [pct('reduced8', '8')]),
      line('b', '98', 1, [pct('reduced8', '8')]),
      line('c', '98', 1, [pct('reduced8', '8')]),
      line('d', '148', 1, [pct('standard10', '10')]),
    ];
    const invoice = price('JPY', lines, { rounding: { tax: 'per-total', mode: 'floor' } });
    expect(invoice.taxBreakdown.map((e) => [e.id, e.base, e.amount])).toEqual([
      ['standard10', '148', '14'],
      ['reduced8', '294', '23'],
    ]);
    expect(invoice.totals.total).toBe('479');
    const perLine = price('JPY', lines, { rounding: { mode: 'floor' } });
    expect(perLine.totals.tax).toBe('35');
  });

  it('41. Kuwait has no VAT; KWD prices keep 3 decimals through a discount (ISO 4217 KWD 3)', () => {
    const c = price('KWD', [
      line('a', '1.995', 3, [], { discounts: [{ id: 'd', kind: 'percent', value: '10' }] }),
    ]);
    // 5.985 − 10 % (0.5985 → 0.599) = 5.386
    expect([c.totals.subtotal, c.totals.discount, c.totals.total]).toEqual(['5.985', '0.599', '5.386']);
  });
});
