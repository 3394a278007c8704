import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type AnyJournalEntry,
  ChainVerifier,
  createHttpTarget,
  createMemoryStorage,
  type Journal,
  openJournal,
  type SyncTarget,
  startSync,
} from '../../src/journal/index.js';
import {
  createPostgresReceiverStore,
  createReceiver,
  createSqliteReceiverStore,
  type Receiver,
  type ReceiverStore,
  toNodeHandler,
} from '../../src/journal/receiver/index.js';
import { createTestDatabase } from '../provision/db.js';
import { prng } from './crash/harness.js';
import { cashIn, saleData } from './fixtures.js';

const SECRET = (register: string) => `secret-of-${register}-0123456789`;
const tmp = mkdtempSync(join(tmpdir(), 'kassa-receiver-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

async function journalWith(register: string, n: number): Promise<Journal> {
  const journal = await openJournal({ register, storage: createMemoryStorage() });
  for (let i = 0; i < n; i++)
    await journal.append(
      i % 5 === 4 ? 'cash.in' : 'sale.completed',
      i % 5 === 4 ? cashIn() : (saleData(i) as never),
    );
  return journal;
}

function post(receiver: Receiver, register: string, entries: readonly unknown[], secret = SECRET(register)) {
  return receiver.handle(
    new Request('http://receiver/push', {
      method: 'POST',
      headers: {
        authorization: `Bearer ${secret}`,
        'x-kassa-register': register,
        'content-type': 'application/json',
      },
      body: JSON.stringify({ entries }),
    }),
  );
}

async function serve(receiver: Receiver): Promise<{ url: string; server: Server }> {
  const server = createServer(toNodeHandler(receiver.handle));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/push`, server };
}

type StoreFactory = () => Promise<{
  store: ReceiverStore;
  rows: (register: string) => Promise<AnyJournalEntry[]>;
  drop: () => Promise<void>;
}>;

const postgres: StoreFactory = async () => {
  const db = createTestDatabase('kassa_journal');
  const store = await createPostgresReceiverStore({ connection: db.url });
  const pool = new pg.Pool({ connectionString: db.url, max: 2 });
  pool.on('error', () => undefined);
  return {
    store,
    rows: async (register) =>
      (
        await pool.query<{ entry: AnyJournalEntry }>(
          'SELECT entry FROM kassa_entries WHERE register = $1 ORDER BY seq',
          [register],
        )
      ).rows.map((r) => r.entry),
    drop: async () => {
      await pool.end();
      await store.close();
      db.drop();
    },
  };
};
let sqliteN = 0;
const sqlite: StoreFactory = async () => {
  const path = join(tmp, `receiver-${++sqliteN}.db`);
  const store = await createSqliteReceiverStore({ path });
  const { default: Database } = await import('better-sqlite3');
  return {
    store,
    rows: async (register) => {
      const db = new Database(path, { readonly: true });
      try {
        return (
          db.prepare('SELECT entry FROM kassa_entries WHERE register = ? ORDER BY seq').all(register) as {
            entry: string;
          }[]
        ).map((r) => JSON.parse(r.entry));
      } finally {
        db.close();
      }
    },
    drop: async () => store.close(),
  };
};

/** What the receiver stored for a register must be the register's journal, verifying as one chain. */
async function expectSameChain(rows: AnyJournalEntry[], journal: Journal): Promise<void> {
  const local = await journal.read();
  expect(rows.length).toBe(local.length);
  const verifier = new ChainVerifier({ register: journal.register });
  expect(await verifier.push(rows)).toBe(true);
  expect(verifier.result().head).toEqual(journal.head());
}

describe.each([
  ['PostgreSQL', postgres],
  ['SQLite', sqlite],
] as const)('receiver on %s', (_name, factory) => {
  let ctx: Awaited<ReturnType<StoreFactory>>;
  let receiver: Receiver;
  beforeAll(async () => {
    ctx = await factory();
    await ctx.store.migrate();
    await ctx.store.migrate(); // a second run applies nothing
    receiver = createReceiver({ store: ctx.store });
    for (const r of ['a', 'b', 'c', 'd']) await receiver.addRegister(r, SECRET(r));
  });
  afterAll(async () => ctx?.drop());

  it('holds entries after a gap until it is filled; duplicated and replayed deliveries are no-ops', async () => {
    const journal = await journalWith('a', 30);
    const all = await journal.read();
    let res = await post(receiver, 'a', all.slice(10, 20));
    expect(res.status).toBe(200);
    let body = await res.json();
    expect(body.acknowledged).toEqual([]);
    expect(body.held).toHaveLength(10);
    res = await post(receiver, 'a', all.slice(0, 10));
    body = await res.json();
    expect(body.acknowledged).toEqual(all.slice(0, 20).map((e) => e.id));
    // Replayed and duplicated.
    body = await (await post(receiver, 'a', [...all.slice(0, 10), ...all.slice(5, 10)])).json();
    expect(body.acknowledged).toEqual(all.slice(0, 10).map((e) => e.id));
    // A dropped delivery of entry 25 inside a batch.
    body = await (
      await post(
        receiver,
        'a',
        all.slice(20, 30).filter((e) => e.seq !== 25),
      )
    ).json();
    expect(body.acknowledged).toEqual(all.slice(20, 24).map((e) => e.id));
    expect(body.held).toEqual(all.slice(25, 30).map((e) => e.id));
    body = await (await post(receiver, 'a', [all[24]])).json();
    expect(body.acknowledged).toEqual(all.slice(24, 30).map((e) => e.id));
    await expectSameChain(await ctx.rows('a'), journal);
    expect(await ctx.store.head('a')).toEqual(journal.head());
  });

  it('refuses a break and reports it, storing nothing of it', async () => {
    const journal = await journalWith('b', 6);
    const all = await journal.read();
    await post(receiver, 'b', all.slice(0, 3));
    const changed = structuredClone(all[3]!) as AnyJournalEntry & { data: { receiptNumber: string } };
    changed.data.receiptNumber = 'forged';
    const res = await post(receiver, 'b', [changed, all[4], all[5]]);
    expect(res.status).toBe(409);
    let body = await res.json();
    expect(body.refused).toEqual([expect.objectContaining({ id: 'b:4', reason: 'hash' })]);
    expect(body.held).toEqual(['b:5', 'b:6']);
    // A rewrite of an entry already stored is refused too.
    const old = structuredClone(all[1]!) as AnyJournalEntry & { data: { receiptNumber: string } };
    old.data.receiptNumber = 'rewritten';
    body = await (await post(receiver, 'b', [old])).json();
    expect(body.refused).toEqual([expect.objectContaining({ id: 'b:2' })]);
    expect((await ctx.store.head('b'))?.seq).toBe(3);
    expect((await ctx.store.breaks('b')).map((b) => b.id)).toEqual(['b:4', 'b:2']);
    // The true entry fills the gap and releases the held ones.
    body = await (await post(receiver, 'b', [all[3]])).json();
    expect(body.acknowledged).toEqual(['b:4', 'b:5', 'b:6']);
    await expectSameChain(await ctx.rows('b'), journal);
  });

  it("authenticates each register: a register cannot write into another one's journal", async () => {
    const c = await journalWith('c', 2);
    const entries = await c.read();
    expect((await post(receiver, 'c', entries, 'wrong-secret-0123456789')).status).toBe(401);
    expect((await post(receiver, 'c', entries, '')).status).toBe(401);
    expect((await post(receiver, 'nope', entries, SECRET('nope'))).status).toBe(401);
    // d's own secret, c's entries: refused as a whole.
    expect((await post(receiver, 'd', entries, SECRET('d'))).status).toBe(403);
    // d claiming to be c with d's secret: wrong secret for c.
    expect((await post(receiver, 'c', entries, SECRET('d'))).status).toBe(401);
    // d's entries relabelled as c's but posted with d's secret.
    const relabelled = entries.map((e) => ({ ...e, register: 'd', id: `d:${e.seq}` }));
    const res = await post(receiver, 'd', relabelled, SECRET('d'));
    expect(res.status).toBe(409); // the hash covers the register: a forged entry never verifies
    expect(await ctx.rows('c')).toHaveLength(0);
    expect(await ctx.rows('d')).toHaveLength(0);
    expect((await post(receiver, 'c', [{ junk: true }])).status).toBe(400);
  });
});

describe('sync to a real PostgreSQL through HTTP', () => {
  let ctx: Awaited<ReturnType<StoreFactory>>;
  let receiver: Receiver;
  let url: string;
  let server: Server;
  beforeAll(async () => {
    ctx = await postgres();
    await ctx.store.migrate();
    receiver = createReceiver({ store: ctx.store });
    ({ url, server } = await serve(receiver));
  });
  afterAll(async () => {
    await new Promise((r) => server?.close(r));
    await ctx?.drop();
  });

  it('20 registers pushing at once all land, each as one verified chain', async () => {
    const registers = Array.from({ length: 20 }, (_, i) => `till-${i + 1}`);
    for (const r of registers) await receiver.addRegister(r, SECRET(r));
    const journals = await Promise.all(
      registers.map((r) => openJournal({ register: r, storage: createMemoryStorage() })),
    );
    const syncs = await Promise.all(
      journals.map((journal) =>
        startSync({
          journal,
          target: createHttpTarget({ url, register: journal.register, secret: SECRET(journal.register) }),
          batchSize: 50,
        }),
      ),
    );
    await Promise.all(
      journals.map(async (journal) => {
        for (let i = 0; i < 100; i++) await journal.append('sale.completed', saleData(i));
      }),
    );
    await Promise.all(syncs.map((s) => s.flush()));
    for (const journal of journals) await expectSameChain(await ctx.rows(journal.register), journal);
    await Promise.all(syncs.map((s) => s.stop()));
  }, 120_000);

  it('survives dropped, lost-reply, duplicated and replayed deliveries (seeded chaos)', async () => {
    await receiver.addRegister('chaos', SECRET('chaos'));
    const journal = await openJournal({ register: 'chaos', storage: createMemoryStorage() });
    const http = createHttpTarget({ url, register: 'chaos', secret: SECRET('chaos') });
    const random = prng(20261203);
    const sent: AnyJournalEntry[][] = [];
    let faults = 0;
    const chaos: SyncTarget = {
      async push(entries) {
        sent.push([...entries]);
        const roll = random();
        if (roll < 0.2) {
          faults++;
          throw new Error('dropped on the way');
        }
        if (roll < 0.4) {
          faults++;
          await http.push(entries);
          throw new Error('reply lost');
        }
        if (roll < 0.55) await http.push(entries); // duplicated
        if (roll < 0.7 && sent.length > 2) await http.push(sent[Math.floor(random() * (sent.length - 1))]!); // an old one replayed
        return http.push(entries);
      },
    };
    const sync = await startSync({
      journal,
      target: chaos,
      batchSize: 7,
      initialDelayMs: 1,
      maxDelayMs: 5,
      random,
    });
    for (let i = 0; i < 300; i++) await journal.append('sale.completed', saleData(i));
    await sync.flush();
    await sync.stop();
    expect(faults).toBeGreaterThan(5);
    await expectSameChain(await ctx.rows('chaos'), journal);
  }, 120_000);

  it('a register offline for 10,000 sales catches up from its durable cursor, page by page', async () => {
    await receiver.addRegister('offline', SECRET('offline'));
    const storage = createMemoryStorage();
    const journal = await openJournal({ register: 'offline', storage });
    let online = false;
    const http = createHttpTarget({ url, register: 'offline', secret: SECRET('offline') });
    let largest = 0;
    const target: SyncTarget = {
      async push(entries) {
        if (!online) throw new Error('offline');
        largest = Math.max(largest, entries.length);
        return http.push(entries);
      },
    };
    const sync = await startSync({ journal, target, batchSize: 500, initialDelayMs: 5, maxDelayMs: 50 });
    const data = cashIn();
    for (let i = 0; i < 10_000; i++) await journal.append('cash.in', data);
    expect(sync.snapshot().pending).toBe(10_000);
    expect(sync.snapshot().failures).toBeGreaterThan(0);
    // Restart while offline: the cursor lives in the journal's storage.
    await sync.stop();
    online = true;
    const again = await startSync({ journal, target, batchSize: 500 });
    await again.flush();
    expect(largest).toBe(500);
    expect(await storage.getMeta('sync:default')).toBe('10000');
    await again.stop();
    await expectSameChain(await ctx.rows('offline'), journal);
  }, 180_000);
});
