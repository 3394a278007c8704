import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleCrashChild, killRound, prng } from './crash/harness.js';

// SIGKILL at random moments while a child appends as fast as it can; after each kill every
// acknowledged append must be there, the chain must verify and the sequence must have no gap.
const KILLS = Number(process.env.KASSA_CRASH_KILLS ?? 50);
const seed = Number(process.env.KASSA_CRASH_SEED ?? Date.now() % 1_000_000);
const dir = mkdtempSync(join(tmpdir(), 'kassa-journal-crash-'));
let child = '';
beforeAll(async () => {
  child = await bundleCrashChild();
}, 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.each(['file', 'sqlite'] as const)('crash test, %s storage', (kind) => {
  it(`${KILLS} kills at random moments lose no acknowledged append (seed ${seed})`, async () => {
    const random = prng(seed);
    const path = join(dir, kind === 'file' ? 'crash.jsonl' : 'crash.db');
    let acked = 0;
    let head = 0;
    for (let i = 0; i < KILLS; i++) {
      const round = await killRound(
        child,
        kind,
        path,
        Math.floor(random() * 40),
        1 + Math.floor(random() * 8),
      );
      expect(round.headAfter).toBeGreaterThanOrEqual(head);
      acked += round.acked;
      head = round.headAfter;
    }
    // The kills really landed while appends were going on.
    expect(acked).toBeGreaterThan(KILLS);
  }, 120_000);
});
