import { describe, expect, it, vi } from 'vitest';
import { sampleProducts, sampleRules } from '../../examples/catalog.js';
import {
  type Checkout,
  createCheckout,
  createMemoryClaims,
  nextSaleState,
  SALE_TRANSITIONS,
} from '../../src/checkout/index.js';
import type { SaleCommand, SaleState } from '../../src/checkout/lifecycle.js';
import { createManualClock } from '../../src/clock.js';
import { priceCheckDigit, withCheckDigit } from '../../src/devices/index.js';
import { isKassaError } from '../../src/errors.js';
import { createMemoryCatalog } from '../../src/index.js';
import {
  createCashProvider,
  createMemoryPaymentStore,
  createSimulatedTerminal,
} from '../../src/payments/index.js';
import { schemaCheckedJournal } from './memory-journal.js';

const STATES: SaleState[] = ['idle', 'open', 'tendering', 'completed', 'voided', 'parked'];
const COMMANDS: SaleCommand[] = [
  'add',
  'tender',
  'pay',
  'resume',
  'complete',
  'void',
  'park',
  'recall',
  'return',
  'next',
];

function till(extra: Partial<Parameters<typeof createCheckout>[0]> = {}) {
  const clock = createManualClock(Date.UTC(2026, 11, 3, 9));
  const journal = schemaCheckedJournal('till-1', clock);
  const store = extra.paymentStore ?? createMemoryPaymentStore();
  const cash = createCashProvider();
  const terminal = createSimulatedTerminal({ id: 'terminal-1' });
  const drawer = { open: vi.fn(async () => {}) };
  const printed: Uint8Array[] = [];
  const printer = { print: vi.fn(async (bytes: Uint8Array) => void printed.push(bytes)) };
  const movements: unknown[] = [];
  let n = 0;
  const checkout = createCheckout({
    register: 'till-1',
    operator: { id: 'ann', name: 'Ann' },
    currency: 'EUR',
    catalog: createMemoryCatalog(sampleProducts),
    rules: sampleRules,
    pricesIncludeTax: true,
    providers: [cash, terminal],
    paymentStore: store,
    journal,
    clock,
    newSaleId: () => `sale-${++n}`,
    barcodes: { variableMeasure: 'NL' },
    inventory: { record: (m) => void movements.push(...m) },
    devices: { drawer, printer },
    receipt: (sale) => new TextEncoder().encode(`receipt ${sale.receiptNumber} ${sale.cart.totals.total}`),
    ...extra,
  });
  return { checkout, journal, store, drawer, printer, printed, movements, clock, cash, terminal };
}

async function thrown(fn: () => unknown): Promise<unknown> {
  try {
    await fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

describe('the sale lifecycle table', () => {
  it('allows exactly the transitions in the table and refuses every other with checkout.invalid_transition', () => {
    for (const state of STATES) {
      for (const command of COMMANDS) {
        const allowed = SALE_TRANSITIONS[state][command];
        if (allowed) expect(nextSaleState(state, command)).toBe(allowed);
        else {
          let error: unknown;
          try {
            nextSaleState(state, command);
          } catch (e) {
            error = e;
          }
          expect(isKassaError(error) && error.code, `${command} in ${state}`).toBe(
            'checkout.invalid_transition',
          );
        }
      }
    }
  });

  /** Brings a fresh checkout into `state` through its public commands. */
  async function reach(state: SaleState) {
    const t = till();
    await t.checkout.openShift('100.00');
    if (state === 'idle') return t;
    t.checkout.add({ sku: 'croissant' });
    if (state === 'open') return t;
    if (state === 'parked') {
      await t.checkout.park();
      return t;
    }
    if (state === 'voided') {
      await t.checkout.void('customer left');
      return t;
    }
    await t.checkout.pay({ provider: 'terminal-1', amount: '0.50' }).catch(() => undefined);
    if (state === 'tendering') return t;
    await t.checkout.pay({ provider: 'cash', amount: '5.00' });
    await t.checkout.complete();
    return t;
  }

  const attempts: Record<string, (c: Checkout) => Promise<unknown>> = {
    pay: (c) => c.pay({ provider: 'cash', amount: '1.00' }),
    complete: (c) => c.complete(),
    void: (c) => c.void('test'),
    park: (c) => c.park(),
    resume: async (c) => c.resume(),
    recall: (c) => c.recall('sale-404'),
  };

  for (const state of STATES) {
    for (const [command, run] of Object.entries(attempts)) {
      const allowed = SALE_TRANSITIONS[state][command as SaleCommand];
      if (allowed) continue;
      it(`refuses ${command} when the sale is ${state}, changing nothing`, async () => {
        const t = await reach(state);
        expect(t.checkout.snapshot().state).toBe(state);
        const before = { snapshot: JSON.stringify(t.checkout.snapshot()), entries: t.journal.entries.length };
        const error = await thrown(() => run(t.checkout));
        expect(isKassaError(error) && error.code).toMatch(/^checkout\./);
        expect(JSON.stringify(t.checkout.snapshot())).toBe(before.snapshot);
        expect(t.journal.entries.length).toBe(before.entries);
      });
    }
  }
});

describe('a sale at the till', () => {
  it('rings up scans (a weighed label included), takes a split tender and journals the sale before printing', async () => {
    const t = till();
    await t.checkout.openShift('100.00');
    expect(t.drawer.open).toHaveBeenCalledTimes(1);
    t.checkout.scan('8712345000011'); // coffee beans
    t.checkout.scan('8712345000028');
    const goudaLabel = withCheckDigit(`281234${priceCheckDigit('00375')}00375`);
    t.checkout.scan(goudaLabel, {});
    expect(t.checkout.snapshot().state).toBe('open');
    const lines = t.checkout.snapshot().cart.lines;
    expect(lines.map((l) => [l.sku, l.quantity])).toEqual([
      ['coffee-beans-500', '1'],
      ['oat-milk-1l', '1'],
      ['gouda-kg', '0.375'],
    ]);
    const total = t.checkout.snapshot().cart.totals.total;
    const card = await t.checkout.pay({ provider: 'terminal-1', amount: '5.00' });
    expect(card.status).toBe('approved');
    expect(t.checkout.snapshot().state).toBe('tendering');
    const due = t.checkout.snapshot().payment!.due;
    await t.checkout.pay({ provider: 'cash', amount: '20.00' });
    const sale = await t.checkout.complete();
    expect(t.checkout.snapshot().state).toBe('completed');

    const types = t.journal.entries.map((e) => e.type);
    expect(types).toEqual([
      'shift.opened',
      'drawer.opened',
      'sale.tendering',
      'drawer.opened',
      'sale.completed',
    ]);
    const entry = t.journal.entries.at(-1)!;
    expect(entry.type === 'sale.completed' && entry.data.totals.gross).toBe(total);
    expect(entry.type === 'sale.completed' && entry.data.tenders.map((x) => [x.type, x.amount])).toEqual([
      ['card', '5.00'],
      ['cash', expect.any(String)],
    ]);
    // The cash tender kept what was due, rounded to the cart's cash step (0.05).
    const cashKept = entry.type === 'sale.completed' ? entry.data.tenders[1]!.amount : '';
    expect((Number(cashKept) * 100) % 5).toBe(0);
    expect(Math.abs(Number(cashKept) - Number(due))).toBeLessThan(0.03);
    expect(t.movements).toEqual(
      lines.map((l) => expect.objectContaining({ sku: l.sku, quantity: `-${l.quantity}`, reason: 'sale' })),
    );
    expect(new TextDecoder().decode(t.printed[0])).toBe(`receipt ${sale.receiptNumber} ${total}`);
    expect(sale.receiptNumber).toBe('till-1-000001');
  });

  it('completes once: a second complete() returns the same sale and journals nothing', async () => {
    const t = till();
    await t.checkout.openShift('0.00');
    t.checkout.add({ sku: 'croissant', quantity: 2 });
    await t.checkout.pay({ provider: 'terminal-1', amount: t.checkout.snapshot().cart.totals.total });
    const [a, b] = await Promise.all([t.checkout.complete(), t.checkout.complete()]);
    expect(b).toBe(a);
    expect(t.journal.entries.filter((e) => e.type === 'sale.completed')).toHaveLength(1);
    expect(t.printer.print).toHaveBeenCalledTimes(1);
  });

  it('refuses to complete while something is due', async () => {
    const t = till();
    await t.checkout.openShift('0.00');
    t.checkout.add({ sku: 'red-wine' });
    await t.checkout.pay({ provider: 'terminal-1', amount: '1.00' });
    const error = await thrown(() => t.checkout.complete());
    expect(isKassaError(error) && error.code).toBe('checkout.not_paid');
  });

  it('refuses to sell before a shift is open', () => {
    const t = till();
    let error: unknown;
    try {
      t.checkout.add({ sku: 'croissant' });
    } catch (e) {
      error = e;
    }
    expect(isKassaError(error) && error.code).toBe('checkout.no_shift');
    expect(t.checkout.snapshot().cart.lines).toHaveLength(0);
  });

  it('a misread scan never becomes a line', () => {
    const t = till();
    void t.checkout.openShift('0.00');
    return Promise.resolve().then(async () => {
      await new Promise((r) => setTimeout(r, 0));
      let error: unknown;
      try {
        t.checkout.scan('8712345000067');
      } catch (e) {
        error = e;
      }
      expect(isKassaError(error) && error.code).toBe('checkout.scan_rejected');
      expect(t.checkout.snapshot().cart.lines).toHaveLength(0);
    });
  });

  it('voids a sale: approved card tenders are voided first, then the void is journaled', async () => {
    const t = till();
    await t.checkout.openShift('0.00');
    t.checkout.add({ sku: 'red-wine' });
    await t.checkout.pay({ provider: 'terminal-1', amount: '2.00' });
    await t.checkout.void('customer changed their mind');
    expect(t.checkout.snapshot().state).toBe('voided');
    expect(t.checkout.snapshot().payment!.tenders[0]!.void).toBe('voided');
    expect(t.journal.entries.at(-1)!.type).toBe('sale.voided');
  });
});

describe('park and recall', () => {
  it('parks an open sale, starts the next, and recalls the parked one exactly once', async () => {
    const t = till();
    await t.checkout.openShift('0.00');
    t.checkout.add({ sku: 'coffee-beans-500', quantity: 2 });
    t.checkout.applyDiscount({ id: 'staff', kind: 'percent', value: '10' });
    const parkedTotal = t.checkout.snapshot().cart.totals.total;
    const id = await t.checkout.park('forgot wallet');
    expect(t.checkout.snapshot().parked.map((p) => p.saleId)).toEqual([id]);

    t.checkout.add({ sku: 'croissant' });
    await t.checkout.pay({ provider: 'cash', amount: '5.00' });
    await t.checkout.complete();

    await t.checkout.recall(id);
    expect(t.checkout.snapshot().saleId).toBe(id);
    expect(t.checkout.snapshot().cart.totals.total).toBe(parkedTotal);
    expect(t.checkout.snapshot().parked).toEqual([]);
    await t.checkout.pay({ provider: 'terminal-1', amount: parkedTotal });
    await t.checkout.complete();

    const again = await thrown(() => t.checkout.recall(id));
    expect(isKassaError(again) && again.code).toBe('checkout.already_recalled');
  });

  it('two tills sharing a journal and claims cannot both recall one parked sale', async () => {
    const claims = createMemoryClaims();
    const a = till({ claims });
    await a.checkout.openShift('0.00');
    a.checkout.add({ sku: 'croissant' });
    const id = await a.checkout.park();
    const b = till({ journal: a.journal, claims });
    await b.checkout.recover();
    const results = await Promise.allSettled([a.checkout.recall(id), b.checkout.recall(id)]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    const loser = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(isKassaError(loser.reason) && loser.reason.code).toBe('checkout.already_recalled');
    expect(a.journal.entries.filter((e) => e.type === 'sale.recalled')).toHaveLength(1);
  });
});

describe('shift and cash', () => {
  it('expected cash = float + cash taken - change + cash in - cash out; a difference over the tolerance needs an approver', async () => {
    const t = till({ cashTolerance: '0.50' });
    await t.checkout.openShift('100.00');
    t.checkout.add({ sku: 'croissant', quantity: 3 }); // 4.35
    await t.checkout.pay({ provider: 'cash', amount: '10.00' }); // keeps 4.35, change 5.65
    await t.checkout.complete();
    t.checkout.add({ sku: 'red-wine' });
    await t.checkout.pay({ provider: 'terminal-1', amount: t.checkout.snapshot().cart.totals.total });
    await t.checkout.complete();
    await t.checkout.cashIn('20.00', 'change from the bank');
    await t.checkout.cashOut('50.00', 'safe drop');
    await t.checkout.noSale('customer asked for change');
    const kept = t.journal.entries
      .filter((e) => e.type === 'sale.completed')
      .flatMap((e) => (e.type === 'sale.completed' ? e.data.tenders : []))
      .filter((x) => x.type === 'cash')
      .reduce((s, x) => s + Number(x.amount), 0);
    const expected = (100 + kept + 20 - 50).toFixed(2);

    const short = await thrown(() => t.checkout.closeShift({ counted: (Number(expected) - 1).toFixed(2) }));
    expect(isKassaError(short) && short.code).toBe('checkout.count_needs_approval');
    expect(t.checkout.snapshot().shift).toBeDefined();

    const within = await t.checkout.closeShift({ counted: (Number(expected) - 0.3).toFixed(2) });
    expect(within).toEqual({ expected, counted: (Number(expected) - 0.3).toFixed(2), difference: '-0.30' });
    expect(t.checkout.snapshot().shift).toBeUndefined();
    expect(
      t.journal.entries
        .filter((e) => e.type === 'drawer.opened')
        .map((e) => e.type === 'drawer.opened' && e.data.reason),
    ).toEqual(['shift', 'sale', 'cash-in', 'cash-out', 'no-sale']);
  });
});

describe('recovery', () => {
  it('a till that died mid-payment comes back tendering the same sale, with the card payment kept, not charged again', async () => {
    const store = createMemoryPaymentStore();
    const a = till({ paymentStore: store });
    await a.checkout.openShift('50.00');
    a.checkout.add({ sku: 'red-wine', quantity: 2 });
    const total = a.checkout.snapshot().cart.totals.total;
    await a.checkout.pay({ provider: 'terminal-1', amount: '10.00' });
    const requests = a.terminal.requests.length;
    a.checkout.dispose(); // the till dies here

    const b = till({
      journal: a.journal,
      paymentStore: store,
      providers: [createCashProvider(), a.terminal],
    });
    const state = await b.checkout.recover();
    expect(state.state).toBe('tendering');
    expect(state.shift?.float).toBe('50.00');
    expect(state.cart.totals.total).toBe(total);
    expect(state.payment!.paid).toBe('10.00');
    await b.checkout.pay({ provider: 'terminal-1', amount: state.payment!.due });
    await b.checkout.complete();
    expect(a.terminal.requests.length).toBe(requests + 1);
    expect(a.journal.entries.filter((e) => e.type === 'sale.completed')).toHaveLength(1);
  });
});

describe('returns', () => {
  it('refunds what was sold minus what was returned, per line, to the original tenders, and restocks', async () => {
    const t = till();
    await t.checkout.openShift('50.00');
    const croissants = t.checkout.add({ sku: 'croissant', quantity: 3 });
    const wine = t.checkout.add({ sku: 'red-wine' });
    t.checkout.applyDiscount({ id: 'label', kind: 'percent', value: '10' }, { lineId: wine });
    const sold = t.checkout.snapshot().cart;
    await t.checkout.pay({ provider: 'terminal-1', amount: '5.00' });
    await t.checkout.pay({ provider: 'cash', amount: '20.00' });
    const sale = await t.checkout.complete();
    t.movements.length = 0;

    const first = await t.checkout.returnSale(sale.receiptNumber, [{ lineId: croissants, quantity: '1' }]);
    expect(first.cart.totals.total).toBe('-1.45');
    expect(first.refunds).toEqual([expect.objectContaining({ method: 'card', amount: '1.45' })]);
    expect(t.movements).toEqual([
      expect.objectContaining({ sku: 'croissant', quantity: '1', reason: 'return' }),
    ]);

    const rest = await t.checkout.returnSale(sale.saleId, [{ lineId: croissants }, { lineId: wine }]);
    const wineLine = sold.lines.find((l) => l.id === wine)!;
    const croissantLine = sold.lines.find((l) => l.id === croissants)!;
    // Every cent comes back exactly once: the parts of the returns add up to the lines sold.
    const refunded = [first, rest].reduce((s, r) => s - Number(r.cart.totals.total), 0);
    expect(refunded.toFixed(2)).toBe((Number(wineLine.total) + Number(croissantLine.total)).toFixed(2));
    expect(rest.cart.lines.find((l) => l.sku === 'red-wine')!.total).toBe(`-${wineLine.total}`);

    const again = await thrown(() => t.checkout.returnSale(sale.saleId, [{ lineId: croissants }]));
    expect(isKassaError(again) && again.code).toBe('checkout.nothing_to_return');
    const unknown = await thrown(() => t.checkout.returnSale('no-such-sale', [{ lineId: croissants }]));
    expect(isKassaError(unknown) && unknown.code).toBe('checkout.sale_not_found');
    expect(t.journal.entries.filter((e) => e.type === 'return.completed')).toHaveLength(2);
  });
});
