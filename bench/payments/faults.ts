/**
 * The full fault-injection run of #10: `node --import tsx bench/payments/faults.ts 1000`.
 * Each run: two to four till processes on two terminals (a real HTTP terminal on 127.0.0.1)
 * and one file store, SIGKILLs at random moments, recovery after; then the store is checked
 * against the terminals' ledger. Prints the running totals every 25 runs.
 */
import { emptyStats, faultRun } from '../../test/payments/process/fault.js';
import { childBundle } from '../../test/payments/process/spawn.js';
import { startTerminalServer } from '../../test/payments/process/terminal.js';

const runs = Number(process.argv[2] ?? 1000);
const first = Number(process.argv[3] ?? 1001);
const server = await startTerminalServer(60);
await childBundle();
const stats = emptyStats();
const start = performance.now();
try {
  for (let i = 0; i < runs; i++) {
    await faultRun(server, first + i, stats);
    if ((i + 1) % 25 === 0 || i + 1 === runs) {
      console.log(JSON.stringify({ ...stats, seconds: Math.round((performance.now() - start) / 1000) }));
    }
  }
} finally {
  await server.close();
}
const bad = stats.doubleCharges + stats.lostApprovals + stats.unjournaled + stats.inexactSums;
process.exit(bad === 0 && stats.maxInFlight <= 1 ? 0 : 1);
