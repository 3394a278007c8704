/**
 * #18 §1: does a new sale's payment depend on closed history? Builds stores holding 10 to
 * 1,000,000 records of completed sales (memory store, and a file store opened cold), then
 * times a new sale's session open and one cash and one card payment against each, beside
 * the same on an empty store. Prints the median wall time (the file store's includes its
 * fsyncs) and CPU time per payment, the ratio to the empty store, and the file store's open
 * and compaction times.
 *
 * `BENCH_SIZES=10,1000` picks sizes; `KASSA_PAYMENTS_SRC=/path/to/src/payments` runs the
 * same workload against another copy of the code (how the "before" figures were taken).
 */
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const src = resolve(
  process.env.KASSA_PAYMENTS_SRC ?? new URL('../../src/payments', import.meta.url).pathname,
);
const pay = await import(join(src, 'index.ts'));
const node = await import(join(src, 'node.ts'));
const sizes = (process.env.BENCH_SIZES ?? '10,1000,10000,100000,1000000').split(',').map(Number);

type Rec = Record<string, unknown>;

/** `n` records of completed sales: session, attempt, approved outcome, complete (4 per sale). */
function* history(n: number): Generator<Rec> {
  for (let i = 0; i < n / 4; i++) {
    const saleId = `h${i}`;
    const cash = i % 2 === 0;
    yield { type: 'session', saleId, at: i, total: '10.00', currency: 'EUR', acceptPartial: true };
    yield {
      type: 'attempt',
      saleId,
      at: i,
      attemptId: `pa_h${i}`,
      provider: cash ? 'cash' : 't1',
      method: cash ? 'cash' : 'card',
      amount: '10.00',
      currency: 'EUR',
      allowPartial: false,
      ...(cash ? { tendered: '10.00', change: '0.00', rounding: '0.00' } : {}),
    };
    yield {
      type: 'outcome',
      saleId,
      at: i,
      attemptId: `pa_h${i}`,
      source: 'start',
      outcome: { status: 'approved', amount: '10.00' },
    };
    yield { type: 'complete', saleId, at: i };
  }
}

async function writeHistory(path: string, n: number): Promise<void> {
  const out = createWriteStream(path);
  let buf = '';
  for (const r of history(n)) {
    buf += `${JSON.stringify(r)}\n`;
    if (buf.length > 1 << 20) {
      if (!out.write(buf)) await new Promise<void>((r) => out.once('drain', () => r()));
      buf = '';
    }
  }
  out.end(buf);
  await new Promise<void>((r) => out.on('finish', () => r()));
}

const cpuSince = (c: NodeJS.CpuUsage) => {
  const d = process.cpuUsage(c);
  return (d.user + d.system) / 1000;
};
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
let saleNo = 0;

/** Times `k` new sales: session open, then one payment (cash or card). */
async function payments(store: unknown, k: number) {
  const providers = [pay.createCashProvider(), pay.createSimulatedTerminal({ id: 't1' })];
  const open: number[] = [];
  const wall: Record<string, number[]> = { cash: [], card: [] };
  const cpu: Record<string, number[]> = { cash: [], card: [] };
  for (let i = 0; i < k; i++) {
    for (const [kind, provider] of [
      ['cash', 'cash'],
      ['card', 't1'],
    ] as const) {
      const t0 = performance.now();
      const session = await pay.createPaymentSession({
        saleId: `new${++saleNo}`,
        total: '10.00',
        currency: 'EUR',
        providers,
        store,
      });
      const t1 = performance.now();
      const c0 = process.cpuUsage();
      await session.pay({ provider, amount: '10.00' });
      const c = process.cpuUsage(c0);
      wall[kind]!.push(performance.now() - t1);
      cpu[kind]!.push((c.user + c.system) / 1000);
      open.push(t1 - t0);
      await session.complete();
      session.dispose();
    }
  }
  return {
    open: median(open),
    cash: median(wall.cash!),
    card: median(wall.card!),
    cashCpu: median(cpu.cash!),
    cardCpu: median(cpu.card!),
  };
}

const f = (ms: number) => ms.toFixed(ms < 10 ? 2 : 0);
console.log(`code: ${src}\n`);
console.log(
  '| store | history records | session open ms | cash pay ms (cpu) | card pay ms (cpu) | vs empty (cash, card) |',
);
console.log('|---|---:|---:|---:|---:|---:|');
const k = (n: number) => (n >= 100_000 && !process.env.KASSA_PAYMENTS_SRC ? 20 : n >= 100_000 ? 3 : 20);
const memEmpty = await payments(pay.createMemoryPaymentStore(), 20);
const row = (name: string, n: number | string, r: typeof memEmpty, base: typeof memEmpty) =>
  console.log(
    `| ${name} | ${n} | ${f(r.open)} | ${f(r.cash)} (${f(r.cashCpu)}) | ${f(r.card)} (${f(r.cardCpu)}) | ${(r.cash / base.cash).toFixed(2)}x, ${(r.card / base.card).toFixed(2)}x |`,
  );
row('memory', 0, memEmpty, memEmpty);
const stores = (process.env.BENCH_STORES ?? 'memory,file').split(',');
for (const n of stores.includes('memory') ? sizes : []) {
  const store = pay.createMemoryPaymentStore([...history(n)]);
  row('memory', n, await payments(store, k(n)), memEmpty);
}
const dir = await mkdtemp(join(tmpdir(), 'kassa-bench-pay-'));
try {
  if (!stores.includes('file')) throw new Error('skip');
  const emptyStore = await node.openFilePaymentStore(join(dir, 'empty.jsonl'));
  const fileEmpty = await payments(emptyStore, 20);
  await emptyStore.close();
  row('file', 0, fileEmpty, fileEmpty);
  const opens: string[] = [];
  for (const n of sizes) {
    const path = join(dir, `h${n}.jsonl`);
    await writeHistory(path, n);
    const size = (await stat(path)).size;
    let t = performance.now();
    let c = process.cpuUsage();
    let store = await node.openFilePaymentStore(path);
    const coldOpen = performance.now() - t;
    const coldCpu = cpuSince(c);
    row('file', n, await payments(store, k(n)), fileEmpty);
    let compactMs = Number.NaN;
    let reopen = Number.NaN;
    let compactCpu = Number.NaN;
    let reopenCpu = Number.NaN;
    if (typeof store.compact === 'function') {
      t = performance.now();
      c = process.cpuUsage();
      await store.compact();
      compactMs = performance.now() - t;
      compactCpu = cpuSince(c);
      await store.close();
      t = performance.now();
      c = process.cpuUsage();
      store = await node.openFilePaymentStore(path);
      reopen = performance.now() - t;
      reopenCpu = cpuSince(c);
      row('file, compacted', n, await payments(store, k(n)), fileEmpty);
    }
    await store.close();
    opens.push(
      `| ${n} | ${(size / 1e6).toFixed(1)} MB | ${f(coldOpen)} (${f(coldCpu)}) | ${Number.isNaN(compactMs) ? 'n/a' : `${f(compactMs)} (${f(compactCpu)})`} | ${Number.isNaN(reopen) ? 'n/a' : `${f(reopen)} (${f(reopenCpu)})`} |`,
    );
    await rm(path, { force: true });
  }
  console.log('\nWall ms (CPU ms in brackets):\n');
  console.log('| history records | file | open, uncompacted | compact | open after compaction |');
  console.log('|---:|---:|---:|---:|---:|');
  for (const o of opens) console.log(o);
} catch (e) {
  if ((e as Error).message !== 'skip') throw e;
} finally {
  await rm(dir, { recursive: true, force: true });
}
