import type { PaymentRecord, PaymentStore } from './types.js';

/**
 * A PaymentStore in memory: the default, and right for tests and for tills that journal
 * elsewhere. Records are copied in and out so callers cannot change history.
 * @example
 * ```ts
 * const store = createMemoryPaymentStore();
 * const session = await createPaymentSession({ saleId: 's1', total: '12.40', currency: 'EUR', providers, store });
 * ```
 */
export function createMemoryPaymentStore(initial: readonly PaymentRecord[] = []): PaymentStore {
  const records: PaymentRecord[] = initial.map((r) => structuredClone(r));
  return {
    async append(record) {
      records.push(structuredClone(record));
    },
    async records(query) {
      const list = query?.saleId === undefined ? records : records.filter((r) => r.saleId === query.saleId);
      return list.map((r) => structuredClone(r));
    },
  };
}
