import { describe, expect, it } from 'vitest';
import { createManualClock } from '../../src/index.js';
import {
  type AnyJournalEntry,
  createMemoryStorage,
  openJournal,
  type PushResult,
  type SyncTarget,
  startSync,
} from '../../src/journal/index.js';
import { cashIn } from './fixtures.js';

const tick = () => new Promise((r) => setTimeout(r, 5));

describe('startSync', () => {
  it('backs off exponentially with jitter from the injected clock and random, and resumes in order', async () => {
    const clock = createManualClock();
    const journal = await openJournal({ register: 'r', storage: createMemoryStorage(), clock });
    const attempts: number[] = [];
    let failUntil = 4;
    const received: AnyJournalEntry[] = [];
    const target: SyncTarget = {
      async push(entries) {
        attempts.push(clock.now());
        if (attempts.length <= failUntil) throw new Error('offline');
        received.push(...entries);
        return { acknowledged: entries.map((e) => e.id) };
      },
    };
    const sync = await startSync({
      journal,
      target,
      clock,
      random: () => 0.5,
      initialDelayMs: 1000,
      maxDelayMs: 3000,
      batchSize: 2,
    });
    for (let i = 0; i < 5; i++) await journal.append('cash.in', cashIn());
    const start = clock.now();
    for (let i = 0; i < 24; i++) {
      await tick();
      await clock.advance(250);
    }
    // Delays: 0.5 x 1000, 0.5 x 2000, 0.5 x 3000 (capped), 0.5 x 3000.
    expect(attempts.slice(0, 5).map((t) => t - start)).toEqual([0, 500, 1500, 3000, 4500]);
    await sync.flush();
    expect(received.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(sync.snapshot()).toMatchObject({ cursor: 5, pending: 0 });
    failUntil = 0;
    await sync.stop();
    expect(sync.snapshot().status).toBe('stopped');
  });

  it('a refused entry stops the cursor before it and is reported in the state', async () => {
    const journal = await openJournal({ register: 'r', storage: createMemoryStorage() });
    const target: SyncTarget = {
      async push(entries): Promise<PushResult> {
        const ok = entries.filter((e) => e.seq < 3);
        const bad = entries.find((e) => e.seq === 3);
        return {
          acknowledged: ok.map((e) => e.id),
          ...(bad ? { refused: [{ id: bad.id, reason: 'prev', message: 'does not link' }] } : {}),
        };
      },
    };
    const clock = createManualClock();
    const sync = await startSync({ journal, target, clock, random: () => 0 });
    for (let i = 0; i < 4; i++) await journal.append('cash.in', cashIn());
    await tick();
    await clock.advance(0);
    await tick();
    expect(sync.snapshot()).toMatchObject({ cursor: 2, refused: [{ id: 'r:3' }] });
    await sync.stop();
  });

  it('stop() waits for the push in flight and a new start resumes from the durable cursor', async () => {
    const storage = createMemoryStorage();
    const journal = await openJournal({ register: 'r', storage });
    let release: (() => void) | undefined;
    const pushed: number[] = [];
    const target: SyncTarget = {
      async push(entries) {
        await new Promise<void>((r) => {
          release = r;
        });
        pushed.push(...entries.map((e) => e.seq));
        return { acknowledged: entries.map((e) => e.id) };
      },
    };
    const sync = await startSync({ journal, target, batchSize: 3 });
    for (let i = 0; i < 5; i++) await journal.append('cash.in', cashIn());
    await tick();
    const stopping = sync.stop();
    release?.();
    await stopping;
    const cursor = Number(await storage.getMeta('sync:default'));
    expect(cursor).toBe(pushed.at(-1));
    const again = await startSync({
      journal,
      target: {
        push: async (entries) => {
          pushed.push(...entries.map((e) => e.seq));
          return { acknowledged: entries.map((e) => e.id) };
        },
      },
    });
    await again.flush();
    expect(pushed).toEqual([1, 2, 3, 4, 5].slice(0, pushed.length));
    expect(pushed.at(-1)).toBe(5);
    await again.stop();
  });
});
