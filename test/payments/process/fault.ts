import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Decimal } from '../../../src/money/decimal.js';
import { openFilePaymentStore } from '../../../src/payments/node.js';
import { reduceRecords, toState } from '../../../src/payments/reduce.js';
import { runChild } from './spawn.js';
import type { TerminalServer } from './terminal.js';

/*
 * The fault-injection run of #10: two to four till processes pay their sales on two shared
 * terminals through one file store; some are killed (SIGKILL) at random moments, and a
 * recovery process (itself sometimes killed) runs after. Then the store is compared with
 * the terminals' ledger.
 */

export interface FaultStats {
  runs: number;
  processes: number;
  kills: number;
  attempts: number;
  charges: number;
  /** Attempt keys the terminals received more than one request for. */
  doubleCharges: number;
  /** Approved at a terminal, not booked approved in the store after recovery. */
  lostApprovals: number;
  /** Charged at a terminal with no attempt journaled for it. */
  unjournaled: number;
  /** Sales whose booked `paid` differs from what the terminals approved, or exceeds the total. */
  inexactSums: number;
  /** Most requests in flight on one terminal at once (must be 1). */
  maxInFlight: number;
}

/** A small deterministic PRNG (mulberry32). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function emptyStats(): FaultStats {
  return {
    runs: 0,
    processes: 0,
    kills: 0,
    attempts: 0,
    charges: 0,
    doubleCharges: 0,
    lostApprovals: 0,
    unjournaled: 0,
    inexactSums: 0,
    maxInFlight: 0,
  };
}

export async function faultRun(server: TerminalServer, seed: number, stats: FaultStats): Promise<void> {
  const random = rng(seed);
  const dir = await mkdtemp(join(tmpdir(), 'kassa-fault-'));
  const store = join(dir, 'payments.jsonl');
  const terminals = ['t1', 't2'];
  const n = 2 + Math.floor(random() * 3);
  const sales = Array.from({ length: n }, (_, i) => {
    const cents = 500 + Math.floor(random() * 4500);
    const total = new Decimal(cents).div(100);
    const split = random() < 0.5 ? new Decimal(Math.floor(cents / 2)).div(100) : total;
    const pays = [split, total.minus(split)]
      .filter((d) => d.gt(0))
      .map((d) => ({ provider: terminals[Math.floor(random() * 2)]!, amount: d.toFixed(2) }));
    return { saleId: `r${seed}s${i}`, total: total.toFixed(2), pays, complete: true };
  });
  try {
    const children = await Promise.all(
      sales.map((sale) => runChild({ store, url: server.url, terminals, sales: [sale], busyRetries: 100 })),
    );
    stats.processes += children.length;
    for (const child of children) {
      if (random() < 0.6) {
        const at = Math.floor(random() * 600);
        setTimeout(() => {
          if (child.proc.exitCode === null && child.proc.kill('SIGKILL')) stats.kills += 1;
        }, at);
      }
    }
    await Promise.all(children.map((c) => c.exited));
    // Recovery, which may itself be killed, until one recovery finishes.
    for (let i = 0; ; i++) {
      const rec = await runChild({ store, url: server.url, terminals, sales: [], recover: true });
      stats.processes += 1;
      if (i < 2 && random() < 0.25) {
        setTimeout(
          () => {
            if (rec.proc.exitCode === null && rec.proc.kill('SIGKILL')) stats.kills += 1;
          },
          Math.floor(random() * 300),
        );
      }
      if ((await rec.exited) === 0) break;
      if (i > 10) throw new Error('recovery never finished');
    }
    const s = await openFilePaymentStore(store);
    const model = reduceRecords(await s.records());
    await s.close();
    const journaled = new Set<string>();
    for (const sale of sales) {
      const m = model.get(sale.saleId);
      let approvedAtTerminal = new Decimal(0);
      for (const [attemptId, e] of server.ledger) {
        if (e.saleId !== sale.saleId) continue;
        stats.charges += 1;
        if (e.starts > 1) stats.doubleCharges += 1;
        const a = m?.attempts.get(attemptId);
        if (!a) stats.unjournaled += 1;
        if (e.outcome?.status === 'approved') {
          approvedAtTerminal = approvedAtTerminal.plus(e.outcome.amount);
          if (a?.status !== 'approved') stats.lostApprovals += 1;
        }
      }
      if (!m?.session) continue;
      for (const id of m.attempts.keys()) journaled.add(id);
      stats.attempts += m.attempts.size;
      const st = toState(m, 2, {});
      if (!new Decimal(st.paid).eq(approvedAtTerminal) || new Decimal(st.paid).gt(sale.total))
        stats.inexactSums += 1;
    }
    stats.maxInFlight = Math.max(stats.maxInFlight, server.maxInFlight());
    stats.runs += 1;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
