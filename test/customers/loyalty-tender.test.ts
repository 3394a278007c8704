import { describe, expect, it } from 'vitest';
import {
  createLoyaltyTender,
  createMemoryLoyaltyLedger,
  type LoyaltyProgram,
} from '../../src/customers/index.js';
import { createCashProvider, createPaymentSession } from '../../src/payments/index.js';
import { describeProviderConformance } from '../payments/conformance.js';

const program: LoyaltyProgram = { id: 'club', pointsPerUnit: '1', redemption: { pointValue: '0.01' } };

describeProviderConformance('loyalty points', () => {
  const ledger = createMemoryLoyaltyLedger();
  let n = 0;
  return {
    provider: createLoyaltyTender({ ledger, program, customerId: 'c1' }),
    currency: 'EUR',
    arrange: async (next) => {
      if (next === 'lost') return false;
      // decline: no points at all; partial: 30.00 worth of points for the 50.00 asked.
      if (next === 'approve')
        await ledger.earn({ customerId: 'c1', saleId: `seed-${++n}`, points: 1_000_000 });
      if (next === 'partial') await ledger.earn({ customerId: 'c1', saleId: `seed-${++n}`, points: 3000 });
      return true;
    },
    settle: async () => undefined,
  };
});

describe('loyalty points as a tender in a payment session', () => {
  it('points pay part of the sale, cash the rest; a retried attempt never spends twice', async () => {
    const ledger = createMemoryLoyaltyLedger();
    await ledger.earn({ customerId: 'c1', saleId: 'old-sale', points: 740 });
    const loyalty = createLoyaltyTender({ ledger, program, customerId: 'c1' });
    const session = await createPaymentSession({
      saleId: 'sale-1',
      total: '12.40',
      currency: 'EUR',
      providers: [loyalty, createCashProvider()],
    });
    const tender = await session.pay({ provider: 'loyalty', amount: '10.00', allowPartial: true });
    expect(tender.amount).toBe('7.40');
    expect(session.snapshot().due).toBe('5.00');
    await session.pay({ provider: 'cash', amount: '5.00' });
    expect(session.snapshot().status).toBe('paid');
    expect(await ledger.balance('c1')).toMatchObject({ points: '0', lifetimePoints: '740' });
    // A replay of the same attempt returns the recorded outcome and spends nothing more.
    const replay = await loyalty.inquire({ attemptId: tender.attemptId, saleId: 'sale-1' });
    expect(replay).toMatchObject({ status: 'partially_approved', amount: '7.40' });
  });

  it('a refund credits the points back to the balance, not to the lifetime total', async () => {
    const ledger = createMemoryLoyaltyLedger();
    await ledger.earn({ customerId: 'c1', saleId: 'old', points: 1000 });
    const loyalty = createLoyaltyTender({ ledger, program, customerId: 'c1' });
    const session = await createPaymentSession({
      saleId: 's2',
      total: '6.00',
      currency: 'EUR',
      providers: [loyalty],
    });
    await session.pay({ provider: 'loyalty', amount: '6.00' });
    expect((await ledger.balance('c1')).points).toBe('400');
    await session.refund({ amount: '2.00' });
    expect(await ledger.balance('c1')).toMatchObject({ points: '600', lifetimePoints: '1000' });
  });

  it('refuses a program without redemption', () => {
    expect(() =>
      createLoyaltyTender({
        ledger: createMemoryLoyaltyLedger(),
        program: { id: 'x', pointsPerUnit: '1' },
        customerId: 'c1',
      }),
    ).toThrow(expect.objectContaining({ code: 'loyalty.invalid_redemption' }));
  });
});
