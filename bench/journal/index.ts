/**
 * Journal benchmarks (`npm run bench -- journal`):
 * 1. durable appends/s, file and SQLite storage, 1 and 16 concurrent appenders, against bare
 *    loops doing the same writes and fdatasyncs (one per entry, and one per batch of the same size);
 * 2. verify() entries/s;
 * 3. receiver ingest into PostgreSQL with 20 registers against a bare batched
 *    INSERT ... ON CONFLICT DO NOTHING loop;
 * 4. the crash test with 1,000 SIGKILLs per durable storage (KASSA_BENCH_KILLS to change).
 * Wall-clock time here: the work is waiting for the disk and the database, not CPU.
 */
import { closeSync, fdatasyncSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import {
  type AnyJournalEntry,
  canonicalJson,
  createFileStorage,
  createMemoryStorage,
  createSqliteStorage,
  type JournalStorage,
  openJournal,
} from '../../src/journal/node.js';
import { createPostgresReceiverStore, createReceiver } from '../../src/journal/receiver/index.js';
import { bundleCrashChild, killRound, prng } from '../../test/journal/crash/harness.js';
import { saleData } from '../../test/journal/fixtures.js';
import { startPostgres } from '../../test/provision/postgres.js';
import { table } from '../harness.js';

const dir = mkdtempSync(join(tmpdir(), 'kassa-bench-journal-'));
const seconds = Number(process.env.KASSA_BENCH_SECONDS ?? 3);
const rows: Record<string, string | number>[] = [];
let n = 0;

async function sampleLine(small: boolean): Promise<string> {
  const j = await openJournal({ register: 'bench', storage: createMemoryStorage() });
  const e = small
    ? await j.append('cash.in', {
        operator: { id: 'anna' },
        amount: '100.00',
        currency: 'EUR',
        reason: 'float',
      })
    : await j.append('sale.completed', saleData(1));
  return `${canonicalJson(e)}\n`;
}

function bareFileLoop(line: string, batch: number): number {
  const fd = openSync(join(dir, `bare-${++n}.jsonl`), 'a');
  const chunk = Buffer.from(line.repeat(batch));
  let count = 0;
  const end = performance.now() + seconds * 1000;
  const start = performance.now();
  while (performance.now() < end) {
    writeSync(fd, chunk);
    fdatasyncSync(fd);
    count += batch;
  }
  closeSync(fd);
  return count / ((performance.now() - start) / 1000);
}

function bareSqliteLoop(line: string, batch: number): number {
  const db = new Database(join(dir, `bare-${++n}.db`));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec('CREATE TABLE t (seq INTEGER PRIMARY KEY, entry TEXT NOT NULL)');
  const insert = db.prepare('INSERT INTO t (seq, entry) VALUES (?, ?)');
  const many = db.transaction((from: number) => {
    for (let i = 0; i < batch; i++) insert.run(from + i, line);
  });
  let count = 0;
  const end = performance.now() + seconds * 1000;
  const start = performance.now();
  while (performance.now() < end) {
    many(count + 1);
    count += batch;
  }
  db.close();
  return count / ((performance.now() - start) / 1000);
}

async function journalAppends(
  storage: JournalStorage,
  appenders: number,
  small: boolean,
): Promise<{ rate: number; batch: number }> {
  const journal = await openJournal({ register: 'bench', storage });
  let batches = 0;
  const original = storage.append.bind(storage);
  storage.append = (entries) => {
    batches++;
    return original(entries);
  };
  const data = saleData(1);
  const cash = { operator: { id: 'anna' }, amount: '100.00', currency: 'EUR', reason: 'float' };
  let count = 0;
  const end = performance.now() + seconds * 1000;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: appenders }, async () => {
      while (performance.now() < end) {
        if (small) await journal.append('cash.in', cash);
        else await journal.append('sale.completed', data);
        count++;
      }
    }),
  );
  const rate = count / ((performance.now() - start) / 1000);
  await journal.close();
  return { rate, batch: count / batches };
}

async function appendBench(): Promise<void> {
  for (const small of [false, true]) {
    const line = await sampleLine(small);
    const entry = small ? `cash.in (${line.length} B)` : `sale (${line.length} B)`;
    for (const kind of ['file', 'sqlite'] as const) {
      for (const appenders of [1, 16]) {
        const storage =
          kind === 'file'
            ? createFileStorage({ path: join(dir, `j-${++n}.jsonl`) })
            : createSqliteStorage({ path: join(dir, `j-${++n}.db`) });
        const { rate, batch } = await journalAppends(storage, appenders, small);
        const batchSize = Math.max(1, Math.round(batch));
        const bare = kind === 'file' ? bareFileLoop(line, batchSize) : bareSqliteLoop(line, batchSize);
        const bareOne = kind === 'file' ? bareFileLoop(line, 1) : bareSqliteLoop(line, 1);
        rows.push({
          entry,
          storage: kind,
          appenders,
          'journal appends/s': Math.round(rate),
          'mean batch': batch.toFixed(1),
          'bare loop, same batch /s': Math.round(bare),
          'journal / bare': (rate / bare).toFixed(2),
          'bare loop, 1 per sync /s': Math.round(bareOne),
        });
      }
    }
  }
  console.log(table(rows));
}

async function verifyBench(): Promise<void> {
  const storage = createMemoryStorage();
  const journal = await openJournal({ register: 'v', storage });
  const data = saleData(1);
  const total = 50_000;
  for (let i = 0; i < total; i += 1000)
    await Promise.all(Array.from({ length: 1000 }, () => journal.append('sale.completed', data)));
  const out: Record<string, string | number>[] = [];
  const timed = async (label: string, j: typeof journal) => {
    const start = performance.now();
    const cpu = process.cpuUsage();
    const result = await j.verify();
    const ms = performance.now() - start;
    const used = process.cpuUsage(cpu);
    if (!result.ok || result.count !== total) throw new Error('verify failed in the bench');
    out.push({
      storage: label,
      entries: total,
      'wall ms': Math.round(ms),
      'entries/s (wall)': Math.round(total / (ms / 1000)),
      'entries per CPU second': Math.round(total / ((used.user + used.system) / 1e6)),
    });
  };
  for (let round = 0; round < 3; round++) await timed('memory', journal);
  const path = join(dir, 'verify.jsonl');
  const file = createFileStorage({ path });
  await file.open('v');
  await file.append(storage.entries as AnyJournalEntry[]);
  await file.close();
  const fj = await openJournal({ register: 'v', storage: createFileStorage({ path }) });
  for (let round = 0; round < 3; round++) await timed('file', fj);
  await fj.close();
  console.log(table(out));
}

async function ingestBench(): Promise<void> {
  const server = await startPostgres({ durable: true });
  try {
    server.sql('create database ingest');
    server.sql('create database bare');
    const url = (db: string) => server.url.replace(/\/postgres$/, `/${db}`);
    const registers = Array.from({ length: 20 }, (_, i) => `till-${i + 1}`);
    const perRegister = Number(process.env.KASSA_BENCH_INGEST ?? 2000);
    const batch = 500;
    const journals: AnyJournalEntry[][] = [];
    const data = saleData(1);
    for (const r of registers) {
      const storage = createMemoryStorage();
      const j = await openJournal({ register: r, storage });
      for (let i = 0; i < perRegister; i += 500)
        await Promise.all(Array.from({ length: 500 }, () => j.append('sale.completed', data)));
      journals.push([...storage.entries]);
    }
    const total = registers.length * perRegister;

    const store = await createPostgresReceiverStore({ connection: url('ingest'), max: 20 });
    await store.migrate();
    const receiver = createReceiver({ store });
    for (const r of registers) await receiver.addRegister(r, `secret-${r}-0123456789`);
    let start = performance.now();
    await Promise.all(
      registers.map(async (r, i) => {
        const entries = journals[i]!;
        for (let k = 0; k < entries.length; k += batch) {
          const res = await receiver.handle(
            new Request('http://x/push', {
              method: 'POST',
              headers: { authorization: `Bearer secret-${r}-0123456789`, 'x-kassa-register': r },
              body: JSON.stringify({ entries: entries.slice(k, k + batch) }),
            }),
          );
          if (res.status !== 200) throw new Error(`ingest failed: ${res.status} ${await res.text()}`);
        }
      }),
    );
    const receiverRate = total / ((performance.now() - start) / 1000);
    await store.close();

    const pool = new pg.Pool({ connectionString: url('bare'), max: 20 });
    await pool.query(`CREATE TABLE entries (register text NOT NULL, seq bigint NOT NULL, id text NOT NULL UNIQUE,
      type text NOT NULL, at timestamptz NOT NULL, business_date date NOT NULL, hash text NOT NULL, prev text NOT NULL,
      entry jsonb NOT NULL, received_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (register, seq))`);
    start = performance.now();
    await Promise.all(
      registers.map(async (r, i) => {
        const entries = journals[i]!;
        for (let k = 0; k < entries.length; k += batch) {
          // The bare loop gets the same JSON body to parse, as a server would.
          const part = JSON.parse(JSON.stringify({ entries: entries.slice(k, k + batch) }))
            .entries as AnyJournalEntry[];
          await pool.query(
            `INSERT INTO entries (register, seq, id, type, at, business_date, hash, prev, entry)
             SELECT $1, * FROM unnest($2::bigint[], $3::text[], $4::text[], $5::timestamptz[], $6::date[], $7::text[], $8::text[], $9::jsonb[])
             ON CONFLICT DO NOTHING`,
            [
              r,
              part.map((e) => e.seq),
              part.map((e) => e.id),
              part.map((e) => e.type),
              part.map((e) => e.at),
              part.map((e) => e.businessDate),
              part.map((e) => e.hash),
              part.map((e) => e.prev),
              part.map((e) => JSON.stringify(e)),
            ],
          );
        }
      }),
    );
    const bareRate = total / ((performance.now() - start) / 1000);
    await pool.end();
    console.log(
      table([
        {
          registers: registers.length,
          entries: total,
          batch,
          'receiver entries/s': Math.round(receiverRate),
          'bare INSERT entries/s': Math.round(bareRate),
          'receiver / bare': (receiverRate / bareRate).toFixed(2),
        },
      ]),
    );
  } finally {
    await server.stop();
  }
}

async function crashBench(): Promise<void> {
  const kills = Number(process.env.KASSA_BENCH_KILLS ?? 1000);
  if (kills === 0) return;
  const child = await bundleCrashChild();
  const out: Record<string, string | number>[] = [];
  for (const kind of ['file', 'sqlite'] as const) {
    const random = prng(1000 + kills);
    const path = join(dir, `crash.${kind}`);
    let acked = 0;
    let repaired = 0;
    const start = performance.now();
    for (let i = 0; i < kills; i++) {
      const round = await killRound(
        child,
        kind,
        path,
        Math.floor(random() * 40),
        1 + Math.floor(random() * 8),
      );
      acked += round.acked;
      if (round.repairedBytes > 0) repaired++;
    }
    out.push({
      storage: kind,
      kills,
      'acknowledged appends checked': acked,
      'torn tails repaired at open': repaired,
      lost: 0,
      seconds: Math.round((performance.now() - start) / 1000),
    });
  }
  console.log(table(out));
}

try {
  const only = process.env.KASSA_BENCH_ONLY?.split(',');
  if (!only || only.includes('append')) await appendBench();
  if (!only || only.includes('verify')) await verifyBench();
  if (!only || only.includes('ingest')) await ingestBench();
  if (!only || only.includes('crash')) await crashBench();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
