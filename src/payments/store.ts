import { RecordIndex } from './store-index.js';
import type { PaymentRecord, PaymentStore } from './types.js';

/** A promise chain that runs one function at a time. @internal */
export function createMutex(): <T>(fn: () => Promise<T>) => Promise<T> {
  let tail: Promise<unknown> = Promise.resolve();
  return <T>(fn: () => Promise<T>) => {
    const run = tail.then(fn, fn);
    tail = run.catch(() => undefined);
    return run;
  };
}

/**
 * A PaymentStore in memory: the default, and right for tests and for tills that journal
 * elsewhere. Records are copied in and out so callers cannot change history. Sessions that
 * share one memory store share its terminal lock; it indexes open attempts and sales, so a
 * payment costs the same with a million records of history as with none.
 * @example
 * ```ts
 * const store = createMemoryPaymentStore();
 * const session = await createPaymentSession({ saleId: 's1', total: '12.40', currency: 'EUR', providers, store });
 * ```
 */
export function createMemoryPaymentStore(initial: readonly PaymentRecord[] = []): PaymentStore {
  const all: PaymentRecord[] = [];
  const index = new RecordIndex();
  const add = (record: PaymentRecord) => {
    const copy = structuredClone(record);
    all.push(copy);
    index.apply(copy);
  };
  for (const r of initial) add(r);
  const exclusive = createMutex();
  return {
    async append(record) {
      add(record);
    },
    async records(query) {
      const list = query?.saleId === undefined ? all : (index.bySale.get(query.saleId) ?? []);
      return list.map((r) => structuredClone(r));
    },
    exclusive,
    async openAttempts(provider) {
      return index.openAttempts(provider);
    },
    async openSales() {
      return index.openSales();
    },
  };
}
