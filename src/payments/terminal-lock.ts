import { isOpen, reduceRecords } from './reduce.js';
import { createMutex } from './store.js';
import type { OpenAttempt, PaymentStore } from './types.js';

/*
 * The terminal lock: one attempt in flight per terminal across every sale sharing a store.
 * The busy check and the journaling of the new attempt run as one critical section of the
 * store (`store.exclusive`), so two sessions (or two processes sharing a file store) cannot
 * both pass the check. A store without `exclusive` gets a lock shared by every session of
 * this process that uses the same store object.
 */

const fallbackLocks = new WeakMap<PaymentStore, <T>(fn: () => Promise<T>) => Promise<T>>();

/** Runs `fn` inside the store's critical section. @internal */
export function withStoreLock<T>(store: PaymentStore, fn: () => Promise<T>): Promise<T> {
  if (typeof store.exclusive === 'function') return store.exclusive(fn);
  let lock = fallbackLocks.get(store);
  if (!lock) {
    lock = createMutex();
    fallbackLocks.set(store, lock);
  }
  return lock(fn);
}

/**
 * Attempts that are not final on `provider` in any sale. Uses the store's index when it has
 * one; otherwise folds every record (linear in history: see {@link PaymentStore}). @internal
 */
export async function openAttemptsOf(store: PaymentStore, provider: string): Promise<readonly OpenAttempt[]> {
  if (typeof store.openAttempts === 'function') return store.openAttempts(provider);
  const out: OpenAttempt[] = [];
  for (const sale of reduceRecords(await store.records()).values()) {
    for (const a of sale.attempts.values()) {
      if (a.record.provider === provider && isOpen(a.status))
        out.push({ saleId: sale.saleId, attemptId: a.record.attemptId });
    }
  }
  return out;
}
