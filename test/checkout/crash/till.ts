/**
 * One till process for the crash test. It recovers from whatever the files in `dir` say, then
 * plays the rest of one sale: open a shift, ring up three lines, pay 5.00 by card and the rest in
 * cash, complete. With KASSA_KILL_AT set, it kills itself with SIGKILL at that point: a real
 * crash, with no chance to flush or clean up.
 *
 *   node --import tsx test/checkout/crash/till.ts <dir> [killAt]
 */
import { appendFileSync, closeSync, fsyncSync, openSync, readFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { Observable } from 'rxjs';
import { sampleProducts, sampleRules } from '../../../examples/catalog.js';
import { type CheckoutJournal, createCheckout } from '../../../src/checkout/index.js';
import { createMemoryCatalog } from '../../../src/index.js';
import { openJournal } from '../../../src/journal/index.js';
import { createFileStorage } from '../../../src/journal/node.js';
import { createCashProvider, type PaymentEvent, type PaymentProvider } from '../../../src/payments/index.js';
import { openFilePaymentStore } from '../../../src/payments/node.js';

const [dir, killAt] = process.argv.slice(2) as [string, string | undefined];

function die(point: string): void {
  if (point === killAt) process.kill(process.pid, 'SIGKILL');
}

function durableAppend(file: string, line: string): void {
  const fd = openSync(file, 'a');
  try {
    writeSync(fd, `${line}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function readLines(file: string): Record<string, unknown>[] {
  try {
    return readFileSync(file, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Record<string, unknown>);
  } catch {
    return [];
  }
}

/**
 * A card terminal that outlives the till: it keeps its own ledger on disk, as a real terminal
 * and its acquirer do, so a till that died mid-payment can ask it what happened.
 */
function fileTerminal(file: string): PaymentProvider {
  const outcomeOf = (attemptId: string) =>
    readLines(file).find((r) => r.attemptId === attemptId) as { amount: string } | undefined;
  const approved = (amount: string) => ({
    status: 'approved' as const,
    amount,
    authCode: 'A1B2C3',
    providerRef: 'ref',
  });
  return {
    id: 'terminal',
    capabilities: {
      method: 'card',
      partialApproval: false,
      tips: false,
      refunds: true,
      void: true,
      capture: false,
    },
    start(request) {
      return new Observable<PaymentEvent>((subscriber) => {
        // Idempotent by attempt id: a resend under the same key never charges again.
        let charge = outcomeOf(request.attemptId);
        if (!charge) {
          durableAppend(file, JSON.stringify({ attemptId: request.attemptId, amount: request.amount }));
          charge = { amount: request.amount };
          die('terminal-charged');
        }
        subscriber.next({ type: 'outcome', outcome: approved(charge.amount) });
        subscriber.complete();
      });
    },
    async inquire(ref) {
      const charge = outcomeOf(ref.attemptId);
      return charge ? approved(charge.amount) : { status: 'not_found' };
    },
    async cancel(ref) {
      return outcomeOf(ref.attemptId) ? 'too_late' : 'canceled';
    },
    async refund(request) {
      return { status: 'approved', amount: request.amount };
    },
    async void() {
      return { status: 'approved', amount: '0' };
    },
  };
}

async function main(): Promise<void> {
  const journal = await openJournal({
    register: 'till-1',
    storage: createFileStorage({ path: join(dir, 'journal.jsonl') }),
  });
  const watched: CheckoutJournal = {
    async append(type, data) {
      die(`before:${type}`);
      const entry = await journal.append(type, data);
      die(`after:${type}`);
      return entry;
    },
    read: (query) => journal.read(query),
  };
  const files = await openFilePaymentStore(join(dir, 'payments.jsonl'));
  let records = 0;
  const paymentStore = {
    ...files,
    async append(record: Parameters<typeof files.append>[0]) {
      await files.append(record);
      records += 1;
      die(`payment-record-${records}`);
    },
    records: files.records.bind(files),
  };
  const movementsFile = join(dir, 'stock.jsonl');
  const checkout = createCheckout({
    register: 'till-1',
    operator: { id: 'anna' },
    currency: 'EUR',
    catalog: createMemoryCatalog(sampleProducts),
    rules: sampleRules,
    pricesIncludeTax: true,
    providers: [createCashProvider(), fileTerminal(join(dir, 'terminal.jsonl'))],
    paymentStore,
    journal: watched,
    newSaleId: () => 'sale-1',
    inventory: {
      // Idempotent by movement id, as the inventory contract requires.
      record(movements) {
        const seen = new Set(readLines(movementsFile).map((m) => m.id));
        for (const m of movements) if (!seen.has(m.id)) durableAppend(movementsFile, JSON.stringify(m));
        die('after:inventory');
      },
    },
    devices: {
      printer: {
        async print(bytes) {
          appendFileSync(join(dir, 'printed.txt'), `${new TextDecoder().decode(bytes)}\n`);
          die('after:print');
        },
      },
    },
    receipt: (sale) => new TextEncoder().encode(`${sale.receiptNumber} ${sale.cart.totals.total}`),
  });

  const state = await checkout.recover();
  if (state.lastSale) return; // the sale is in the journal: nothing left to do
  if (!state.shift) await checkout.openShift('100.00');
  if (checkout.snapshot().state !== 'tendering') {
    checkout.add({ sku: 'coffee-beans-500' });
    checkout.add({ sku: 'red-wine', quantity: 2 });
    checkout.add({ sku: 'croissant', quantity: 3 });
  }
  const paid = checkout
    .snapshot()
    .payment?.tenders.filter((t) => t.method === 'card' && t.status === 'approved');
  if (!paid?.length) await checkout.pay({ provider: 'terminal', amount: '5.00' });
  const due = checkout.snapshot().payment!.due;
  if (due !== '0.00') await checkout.pay({ provider: 'cash', amount: '50.00' });
  await checkout.complete();
  checkout.dispose();
  await journal.close();
  await files.close();
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
