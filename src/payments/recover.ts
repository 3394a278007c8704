import type { Clock } from '../clock.js';
import { checkOptions, KassaError } from '../errors.js';
import { needsWork, reduceRecords, type SaleModel } from './reduce.js';
import { createPaymentSession, type PaymentSessionOptions } from './session.js';
import type { PaymentProvider, PaymentStore, Tender } from './types.js';

/** Options of {@link recoverPayments}. */
export interface RecoverOptions {
  readonly store: PaymentStore;
  readonly providers: readonly PaymentProvider[];
  readonly clock?: Clock;
  readonly inquiry?: PaymentSessionOptions['inquiry'];
  readonly lateApproval?: PaymentSessionOptions['lateApproval'];
}

/** What recovery found for one sale. */
export interface RecoveredSale {
  readonly saleId: string;
  /** The attempts that were not final (or had a void or refund pending), as they now stand. */
  readonly tenders: readonly Tender[];
}

/**
 * Run at start-up, before new payments: resolves every attempt the store holds that was
 * not final, by inquiry only (never a new charge), and resends pending voids and refunds
 * under their original keys. A reload or crash in the middle of a payment thus ends with
 * the payment known and charged at most once; what inquiries cannot settle ends in
 * `needs_attention`.
 * @example
 * ```ts
 * const recovered = await recoverPayments({ store, providers });
 * ```
 */
export async function recoverPayments(options: RecoverOptions): Promise<readonly RecoveredSale[]> {
  if (!options || typeof options.store?.records !== 'function' || !Array.isArray(options.providers)) {
    throw new KassaError('validation.invalid_input', 'recoverPayments needs a store and providers', {
      path: [],
    });
  }
  checkOptions(
    options,
    ['store', 'providers', 'clock', 'inquiry', 'lateApproval'],
    'recoverPayments options',
  );
  // An indexing store names the sales with work; otherwise every record is folded.
  const sales: SaleModel[] = [];
  if (typeof options.store.openSales === 'function') {
    for (const saleId of await options.store.openSales()) {
      const sale = reduceRecords(await options.store.records({ saleId })).get(saleId);
      if (sale) sales.push(sale);
    }
  } else {
    sales.push(...reduceRecords(await options.store.records()).values());
  }
  const out: RecoveredSale[] = [];
  for (const sale of sales) {
    if (!sale.session || !needsWork(sale)) continue;
    const s = sale.session;
    const session = await createPaymentSession({
      saleId: s.saleId,
      total: s.total,
      currency: s.currency,
      providers: options.providers,
      store: options.store,
      ...(options.clock ? { clock: options.clock } : {}),
      ...(options.inquiry ? { inquiry: options.inquiry } : {}),
      ...(options.lateApproval ? { lateApproval: options.lateApproval } : {}),
    });
    try {
      const tenders = await session.recover();
      if (tenders.length > 0) out.push({ saleId: s.saleId, tenders });
    } finally {
      session.dispose();
    }
  }
  return out;
}
