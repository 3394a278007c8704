import { describe, expect, it } from 'vitest';
import { createManualClock, isKassaError } from '../../src/index.js';
import {
  type AnyJournalEntry,
  canonicalJson,
  computeEntryHash,
  createMemoryStorage,
  GENESIS_PREV,
  generateEd25519Signer,
  type JournalAlert,
  openJournal,
  type Signer,
} from '../../src/journal/index.js';
import { cashIn, saleData } from './fixtures.js';

async function expectCode(promise: Promise<unknown>, code: string): Promise<void> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(isKassaError(error), String(error)).toBe(true);
  expect((error as { code: string }).code).toBe(code);
}

describe('journal core', () => {
  it('numbers entries from 1 without gaps, links each to the one before and hashes the whole entry', async () => {
    const storage = createMemoryStorage();
    const clock = createManualClock();
    const journal = await openJournal({ register: 'till-1', storage, clock, timeZone: 'Europe/Berlin' });
    const first = await journal.append('cash.in', cashIn());
    const second = await journal.append('sale.completed', saleData(1));
    expect(first).toMatchObject({ v: 1, id: 'till-1:1', seq: 1, register: 'till-1', prev: GENESIS_PREV });
    expect(second.prev).toBe(first.hash);
    expect(second.seq).toBe(2);
    expect(first.at).toBe('2026-01-01T00:00:00.000Z');
    expect(first.tz).toBe('Europe/Berlin');
    expect(first.businessDate).toBe('2026-01-01');
    const { hash, ...rest } = second;
    expect(hash).toBe(await computeEntryHash(rest));
    expect(Object.isFrozen(second)).toBe(true);
    expect(Object.isFrozen(second.data.lines[0])).toBe(true);
    expect((await journal.verify()).ok).toBe(true);
  });

  it('uses the register time zone for the business date, whatever the process time zone', async () => {
    const clock = createManualClock();
    clock.set(Date.parse('2026-06-30T23:30:00Z'));
    const journal = await openJournal({
      register: 'r',
      storage: createMemoryStorage(),
      clock,
      timeZone: 'Europe/Berlin',
    });
    expect((await journal.append('cash.in', cashIn())).businessDate).toBe('2026-07-01');
    const tokyo = await openJournal({
      register: 'r',
      storage: createMemoryStorage(),
      clock,
      timeZone: 'America/New_York',
    });
    expect((await tokyo.append('cash.in', cashIn())).businessDate).toBe('2026-06-30');
  });

  it('orders concurrent appends itself and keeps the sequence gapless', async () => {
    const journal = await openJournal({ register: 'r', storage: createMemoryStorage() });
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) => journal.append('sale.completed', saleData(i))),
    );
    expect(results.map((e) => e.seq)).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
    // Appends resolve in the order they were called.
    expect(results.map((e) => e.data.saleId)).toEqual(Array.from({ length: 200 }, (_, i) => `sale-${i}`));
    expect(await journal.verify()).toMatchObject({ ok: true, count: 200 });
  });

  it('rejects bad data with a stable code and writes nothing', async () => {
    const storage = createMemoryStorage();
    const journal = await openJournal({ register: 'r', storage });
    await expectCode(
      journal.append('cash.in', { ...cashIn(), amount: 12.1 } as never),
      'journal.invalid_entry',
    );
    await expectCode(
      journal.append('cash.in', { ...cashIn(), colour: 'red' } as never),
      'validation.unknown_field',
    );
    await expectCode(journal.append('nope' as never, {} as never), 'journal.unknown_type');
    const withDecimal = saleData(1);
    (withDecimal.cart.totals as unknown as Record<string, unknown>).total = new Date();
    await expectCode(journal.append('sale.completed', withDecimal), 'journal.invalid_entry');
    expect(storage.entries).toHaveLength(0);
    expect((await journal.append('cash.in', cashIn())).seq).toBe(1);
  });

  it('keeps the entry as appended even when the caller mutates its input afterwards', async () => {
    const journal = await openJournal({ register: 'r', storage: createMemoryStorage() });
    const data = cashIn();
    const pending = journal.append('cash.in', data);
    data.amount = '999.00';
    expect((await pending).data.amount).toBe('100.00');
    expect((await journal.verify()).ok).toBe(true);
  });

  it('verify() names the first broken link: a changed amount, a removed entry, a reordered pair', async () => {
    const storage = createMemoryStorage();
    const journal = await openJournal({ register: 'r', storage });
    for (let i = 0; i < 10; i++) await journal.append('cash.in', cashIn(`${i}.00`));
    const entries = storage.entries as AnyJournalEntry[];
    const original = [...entries];

    const tampered = structuredClone(entries[4]!) as AnyJournalEntry & { data: { amount: string } };
    tampered.data.amount = '1000.00';
    entries[4] = tampered;
    expect((await journal.verify()).broken).toMatchObject({ seq: 5, id: 'r:5', reason: 'hash' });

    entries.splice(0, entries.length, ...original);
    entries.splice(6, 1);
    const removed = await journal.verify();
    expect(removed.ok).toBe(false);
    expect(removed.broken).toMatchObject({ seq: 8, reason: 'seq' });

    entries.splice(0, entries.length, ...original);
    [entries[2], entries[3]] = [entries[3]!, entries[2]!];
    expect((await journal.verify()).broken).toMatchObject({ seq: 4, reason: 'seq' });

    entries.splice(0, entries.length, ...original);
    // Recomputing the hash after a change does not help: the next entry's prev gives it away.
    const rehashed = structuredClone(entries[1]!) as AnyJournalEntry & {
      data: { amount: string };
      hash: string;
    };
    rehashed.data.amount = '5.00';
    const { hash: _old, ...body } = rehashed;
    rehashed.hash = await computeEntryHash(body);
    entries[1] = rehashed;
    expect((await journal.verify()).broken).toMatchObject({ seq: 3, reason: 'prev' });
  });

  it('continues the chain after reopening the same storage', async () => {
    const storage = createMemoryStorage();
    const a = await openJournal({ register: 'r', storage });
    await a.append('cash.in', cashIn());
    await a.close();
    await expectCode(a.append('cash.in', cashIn()), 'journal.closed');
    const b = await openJournal({ register: 'r', storage });
    expect((await b.append('cash.in', cashIn())).seq).toBe(2);
    expect((await b.verify()).ok).toBe(true);
    await expectCode(openJournal({ register: 'other', storage }), 'journal.register_mismatch');
  });

  it('emits each durable entry on entries$ and reads by range and type', async () => {
    const journal = await openJournal({ register: 'r', storage: createMemoryStorage() });
    const seen: number[] = [];
    journal.entries$.subscribe((e) => seen.push(e.seq));
    await journal.append('cash.in', cashIn());
    await journal.append('sale.completed', saleData(1));
    await journal.append('cash.out', cashIn('5.00'));
    expect(seen).toEqual([1, 2, 3]);
    expect((await journal.read({ types: ['cash.in', 'cash.out'] })).map((e) => e.seq)).toEqual([1, 3]);
    expect((await journal.read({ from: 2, to: 2 })).map((e) => e.type)).toEqual(['sale.completed']);
  });

  it('fails an append whose storage write fails, and the chain goes on gapless', async () => {
    const storage = createMemoryStorage();
    let fail = false;
    const flaky = {
      ...storage,
      append: (b: readonly AnyJournalEntry[]) =>
        fail ? Promise.reject(new Error('disk full')) : storage.append(b),
    };
    const journal = await openJournal({ register: 'r', storage: flaky });
    await journal.append('cash.in', cashIn());
    fail = true;
    await expectCode(journal.append('cash.in', cashIn()), 'journal.storage_failed');
    fail = false;
    expect((await journal.append('cash.in', cashIn())).seq).toBe(2);
    expect((await journal.verify()).ok).toBe(true);
  });
});

describe('signer', () => {
  it('signs every entry with Ed25519 and verify() checks the signatures', async () => {
    const { signer, verifier } = await generateEd25519Signer('k1');
    const storage = createMemoryStorage();
    const journal = await openJournal({ register: 'r', storage, signer });
    await journal.append('sale.completed', saleData(1));
    await journal.append('cash.in', cashIn());
    expect(storage.entries[0]!.sig).toMatchObject({ alg: 'Ed25519', keyId: 'k1' });
    expect(await journal.verify({ verifiers: [verifier] })).toMatchObject({ ok: true, unsigned: 0 });
    const other = await generateEd25519Signer('k1');
    expect((await journal.verify({ verifiers: [other.verifier] })).broken).toMatchObject({
      seq: 1,
      reason: 'signature',
    });
  });

  it('an outage never blocks: entries are written with the error, an alert is raised, signer.up lists the unsigned ones', async () => {
    const real = await generateEd25519Signer('k1');
    let mode: 'ok' | 'fail' | 'hang' = 'ok';
    const signer: Signer = {
      alg: 'Ed25519',
      keyId: 'k1',
      sign: (m) =>
        mode === 'ok'
          ? real.signer.sign(m)
          : mode === 'fail'
            ? Promise.reject(new Error('TSE unplugged'))
            : new Promise(() => {}),
    };
    const clock = createManualClock();
    const storage = createMemoryStorage();
    const journal = await openJournal({
      register: 'r',
      storage,
      signer,
      clock,
      signerRetryMs: 1000,
      signerTimeoutMs: 500,
    });
    const alerts: JournalAlert[] = [];
    journal.alerts$.subscribe((a) => alerts.push(a));
    await journal.append('cash.in', cashIn());
    mode = 'fail';
    const failed = await journal.append('sale.completed', saleData(1));
    expect(failed.sig).toMatchObject({ error: 'TSE unplugged' });
    expect(alerts[0]).toMatchObject({ kind: 'signer.down', entry: 'r:2' });
    expect(storage.entries[2]).toMatchObject({ type: 'signer.down', data: { firstUnsigned: 'r:2' } });
    // While down and before the retry time, the signer is not even asked (no waiting per sale).
    mode = 'hang';
    const quick = await journal.append('sale.completed', saleData(2));
    expect(quick.sig).toHaveProperty('error');
    // After the retry time a hanging signer times out on the clock instead of blocking the till.
    await clock.advance(1000);
    const pending = journal.append('sale.completed', saleData(3));
    await new Promise((r) => setTimeout(r, 20));
    await clock.advance(500);
    expect((await pending).sig).toMatchObject({ error: expect.stringContaining('did not answer') });
    mode = 'ok';
    await clock.advance(1000);
    const back = await journal.append('cash.in', cashIn());
    expect(back.sig).toHaveProperty('value');
    const up = storage.entries[back.seq]!;
    expect(up.type).toBe('signer.up');
    expect((up.data as { unsigned: string[] }).unsigned).toEqual(['r:2', 'r:3', 'r:4', 'r:5']);
    expect(alerts.at(-1)).toMatchObject({ kind: 'signer.up' });
    expect(await journal.verify({ verifiers: [real.verifier] })).toMatchObject({ ok: true, unsigned: 4 });
  });

  it('an outage still open at close is picked up at reopen', async () => {
    const storage = createMemoryStorage();
    const real = await generateEd25519Signer('k1');
    const down: Signer = { alg: 'Ed25519', keyId: 'k1', sign: () => Promise.reject(new Error('gone')) };
    const a = await openJournal({ register: 'r', storage, signer: down });
    await a.append('cash.in', cashIn());
    await a.close();
    const b = await openJournal({ register: 'r', storage, signer: real.signer });
    await b.append('cash.in', cashIn());
    const up = storage.entries.at(-1)!;
    expect(up.type).toBe('signer.up');
    expect((up.data as { unsigned: string[] }).unsigned).toEqual(['r:1', 'r:2']);
  });
});

describe('canonical JSON (RFC 8785)', () => {
  it('sorts keys by UTF-16 code units and writes numbers and strings as ECMAScript does', () => {
    expect(
      canonicalJson({ b: 1, a: [true, null, 'x'], '\u20ac': 1, '\ud83d\ude00': 2, A: 1e21, c: 0.1 }),
    ).toBe('{"A":1e+21,"a":[true,null,"x"],"b":1,"c":0.1,"\u20ac":1,"\ud83d\ude00":2}');
    expect(canonicalJson({ s: 'line\nbreak "q" \u0001' })).toBe('{"s":"line\\nbreak \\"q\\" \\u0001"}');
  });
});
