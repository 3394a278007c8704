import { describe, expect, it } from 'vitest';
import {
  createCashProvider,
  createMemoryPaymentStore,
  createPaymentSession,
  createSimulatedTerminal,
} from '../../src/payments/index.js';

async function paidSale() {
  const store = createMemoryPaymentStore();
  const terminal = createSimulatedTerminal({ id: 'terminal' });
  const session = await createPaymentSession({
    saleId: 's1',
    total: '50.00',
    currency: 'EUR',
    providers: [createCashProvider(), terminal],
    store,
  });
  await session.pay({ provider: 'cash', amount: '30.00' });
  return { store, session };
}

describe('bad input is rejected with a KassaError and changes nothing', () => {
  const cases: [string, Record<string, unknown>, string, (string | number)[]][] = [
    ['a negative amount', { provider: 'cash', amount: '-5.00' }, 'validation.invalid_amount', ['amount']],
    ['a zero amount', { provider: 'terminal', amount: '0.00' }, 'validation.invalid_amount', ['amount']],
    [
      'more decimals than EUR has',
      { provider: 'terminal', amount: '1.234' },
      'validation.too_many_decimals',
      ['amount'],
    ],
    [
      'an amount in another currency',
      { provider: 'terminal', amount: '5.00', currency: 'USD' },
      'validation.currency_mismatch',
      ['currency'],
    ],
    ['an unknown provider', { provider: 'paypal', amount: '5.00' }, 'payment.unknown_provider', ['provider']],
    [
      'a card paying more than is due',
      { provider: 'terminal', amount: '25.00' },
      'payment.amount_exceeds_due',
      ['amount'],
    ],
    ['a tip on cash', { provider: 'cash', amount: '5.00', tip: '1.00' }, 'payment.unsupported', ['tip']],
    ['a float amount', { provider: 'terminal', amount: 5.1 }, 'validation.invalid_input', ['amount']],
  ];
  for (const [what, input, code, path] of cases) {
    it(`pay: ${what}`, async () => {
      const { store, session } = await paidSale();
      const before = { state: session.snapshot(), records: await store.records() };
      await expect(session.pay(input as never)).rejects.toMatchObject({
        name: 'KassaError',
        code,
        details: { path },
      });
      expect(session.snapshot()).toEqual(before.state);
      expect(await store.records()).toEqual(before.records);
    });
  }

  it('refund: more than was paid, and bad amounts', async () => {
    const { store, session } = await paidSale();
    const before = await store.records();
    await expect(session.refund({ amount: '30.01' })).rejects.toMatchObject({
      code: 'payment.refund_exceeds_paid',
    });
    await expect(session.refund({ amount: '-1' })).rejects.toMatchObject({
      code: 'validation.invalid_amount',
    });
    await expect(session.refund({ amount: '1.001' })).rejects.toMatchObject({
      code: 'validation.too_many_decimals',
    });
    expect(await store.records()).toEqual(before);
  });

  it('session options: decimals JPY does not have, an unknown currency, a reopened sale with another total', async () => {
    await expect(
      createPaymentSession({ saleId: 'j', total: '12.50', currency: 'JPY', providers: [] }),
    ).rejects.toMatchObject({ code: 'validation.too_many_decimals', details: { path: ['total'] } });
    await expect(
      createPaymentSession({ saleId: 'x', total: '1', currency: 'XQQ', providers: [] }),
    ).rejects.toMatchObject({
      code: 'validation.invalid_currency',
    });
    const store = createMemoryPaymentStore();
    await createPaymentSession({ saleId: 'r', total: '10.00', currency: 'EUR', providers: [], store });
    await expect(
      createPaymentSession({ saleId: 'r', total: '11.00', currency: 'EUR', providers: [], store }),
    ).rejects.toMatchObject({ code: 'payment.session_mismatch' });
  });
});
