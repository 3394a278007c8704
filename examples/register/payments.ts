import { Decimal, minorUnits } from '../../src/index.js';
import {
  createCashProvider,
  createMemoryPaymentStore,
  createPaymentSession,
  createSimulatedTerminal,
  type PaymentSessionState,
} from '../../src/payments/index.js';

/**
 * Pays a sale partly in cash (a round amount below the total, or half of a small total)
 * and the rest on the simulated terminal; returns the final session snapshot. Prints nothing.
 * @example
 * ```ts
 * const paid = await payDemoSale({ saleId: 'demo-1', total: '47.30', currency: 'EUR' });
 * paid.tenders; // cash 30.00, then card 17.30 (visa 4242)
 * ```
 */
export async function payDemoSale(input: {
  saleId: string;
  total: string;
  currency: string;
}): Promise<PaymentSessionState> {
  const terminal = createSimulatedTerminal({ id: 'terminal-1' });
  const session = await createPaymentSession({
    saleId: input.saleId,
    total: input.total,
    currency: input.currency,
    providers: [createCashProvider(), terminal],
    store: createMemoryPaymentStore(),
  });
  try {
    const total = new Decimal(input.total);
    const decimals = minorUnits(input.currency);
    // Whole tens of cash when the total allows it, otherwise half in cash: always leaves
    // something for the card.
    const tens = total.div(10).floor().mul(10);
    const cash =
      tens.gt(0) && tens.lt(total) ? tens : total.div(2).toDecimalPlaces(decimals, Decimal.ROUND_DOWN);
    if (cash.gt(0)) await session.pay({ provider: 'cash', amount: cash.toFixed(decimals) });
    const due = session.snapshot().due;
    if (new Decimal(due).gt(0)) await session.pay({ provider: 'terminal-1', amount: due });
    return session.snapshot();
  } finally {
    session.dispose();
  }
}
