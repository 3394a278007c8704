import { afterAll, beforeAll, expect, it } from 'vitest';
import { emptyStats, faultRun } from './process/fault.js';
import { childBundle } from './process/spawn.js';
import { startTerminalServer, type TerminalServer } from './process/terminal.js';

/*
 * #10 "Done when": random interleavings of two to four till processes on two terminals and
 * one file store, with SIGKILLs at random moments and recovery after each. A few runs here;
 * `node --import tsx bench/payments/faults.ts 1000` is the full run.
 */
const RUNS = Number(process.env.KASSA_FAULT_RUNS ?? 6);
let server: TerminalServer;
beforeAll(async () => {
  server = await startTerminalServer(60);
  await childBundle();
});
afterAll(() => server.close());

it(`${RUNS} crash-and-recover runs: no double charge, no lost approval, exact sums`, async () => {
  const stats = emptyStats();
  for (let seed = 1; seed <= RUNS; seed++) await faultRun(server, seed, stats);
  expect(stats.runs).toBe(RUNS);
  expect(stats.kills).toBeGreaterThan(0);
  expect(stats.charges).toBeGreaterThan(0);
  expect(stats).toMatchObject({
    doubleCharges: 0,
    lostApprovals: 0,
    unjournaled: 0,
    inexactSums: 0,
    maxInFlight: 1,
  });
}, 120_000);
