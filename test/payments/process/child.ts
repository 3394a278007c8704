/*
 * A till process for the multi-process tests: opens the shared file store, recovers, then
 * pays its sales on the HTTP terminals. Prints one JSON line per event to stdout. Bundled by
 * esbuild before the tests run so that a process starts in tens of milliseconds.
 */
import { existsSync } from 'node:fs';
import { isKassaError } from '../../../src/errors.js';
import { createPaymentSession, recoverPayments } from '../../../src/payments/index.js';
import { openFilePaymentStore } from '../../../src/payments/node.js';
import { httpTerminal } from './terminal.js';

interface Plan {
  store: string;
  url: string;
  terminals: string[];
  /** Pay only once this file exists (the parent creates it once every process is ready). */
  goFile?: string;
  recover?: boolean;
  sales: {
    saleId: string;
    total: string;
    pays: { provider: string; amount: string }[];
    complete?: boolean;
  }[];
  /** Retry a busy terminal this many times, 20 ms apart. */
  busyRetries?: number;
}

const plan = JSON.parse(process.argv[2]!) as Plan;
const out = (v: unknown) => process.stdout.write(`${JSON.stringify(v)}\n`);
const providers = plan.terminals.map((t) => httpTerminal(t, plan.url));
const store = await openFilePaymentStore(plan.store);
if (store.repaired) out({ repaired: store.repaired.bytesDropped });
if (plan.recover) {
  const rec = await recoverPayments({ store, providers, inquiry: { maxAttempts: 100, intervalMs: 20 } });
  out({ recovered: rec.map((r) => r.saleId) });
}
for (const sale of plan.sales) {
  const session = await createPaymentSession({
    saleId: sale.saleId,
    total: sale.total,
    currency: 'EUR',
    providers,
    store,
    inquiry: { maxAttempts: 100, intervalMs: 20 },
  });
  if (plan.goFile) {
    out({ ready: sale.saleId });
    while (!existsSync(plan.goFile)) await new Promise((r) => setTimeout(r, 2));
  }
  for (const p of sale.pays) {
    for (let i = 0; ; i++) {
      try {
        const t = await session.pay(p);
        out({ saleId: sale.saleId, paid: t.amount, attemptId: t.attemptId });
        break;
      } catch (e) {
        const code = isKassaError(e) ? e.code : String(e);
        if (code === 'payment.terminal_busy' && i < (plan.busyRetries ?? 0)) {
          await new Promise((r) => setTimeout(r, 20));
          continue;
        }
        out({ saleId: sale.saleId, error: code });
        break;
      }
    }
  }
  if (sale.complete && session.snapshot().status === 'paid') {
    await session.complete();
    out({ saleId: sale.saleId, completed: true });
  }
  session.dispose();
}
await store.close();
out({ done: true });
