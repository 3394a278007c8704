import { appendFileSync, mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  createFileStorage,
  createMemoryStorage,
  createSqliteStorage,
  type JournalStorage,
  openJournal,
} from '../../src/journal/node.js';
import { cashIn, saleData } from './fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'kassa-journal-storage-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;

const adapters: [string, () => JournalStorage][] = [
  ['memory', () => createMemoryStorage()],
  ['file', () => createFileStorage({ path: join(dir, `j${++n}.jsonl`) })],
  ['sqlite', () => createSqliteStorage({ path: join(dir, `j${++n}.db`) })],
];

describe.each(adapters)('%s storage', (_kind, make) => {
  it('keeps the chain across reopen, reads ranges and types, and keeps meta values', async () => {
    const storage = make();
    const journal = await openJournal({ register: 'till-1', storage });
    await Promise.all(Array.from({ length: 50 }, (_, i) => journal.append('sale.completed', saleData(i))));
    await journal.append('cash.in', cashIn());
    await storage.setMeta('cursor', '17');
    await journal.close();
    // The same adapter object reopens (for file and SQLite: the same path).
    const reopened = storage;
    const again = await openJournal({ register: 'till-1', storage: reopened });
    expect(again.head().seq).toBe(51);
    expect(await reopened.getMeta('cursor')).toBe('17');
    expect((await again.append('cash.out', cashIn('1.00'))).seq).toBe(52);
    expect(await again.verify()).toMatchObject({ ok: true, count: 52 });
    expect((await again.read({ types: ['cash.in', 'cash.out'] })).map((e) => e.seq)).toEqual([51, 52]);
    expect((await again.read({ from: 10, to: 12 })).map((e) => e.data)).toEqual(
      [9, 10, 11].map((i) => JSON.parse(JSON.stringify(saleData(i)))),
    );
    const pages: number[] = [];
    for await (const page of again.scan({ pageSize: 20 })) pages.push(page.length);
    expect(pages).toEqual([20, 20, 12]);
    await again.close();
  });
});

describe('file storage', () => {
  it('cuts a torn tail at open, reports it in the journal, and goes on gapless', async () => {
    const path = join(dir, 'torn.jsonl');
    const a = await openJournal({ register: 'r', storage: createFileStorage({ path }) });
    for (let i = 0; i < 5; i++) await a.append('sale.completed', saleData(i));
    await a.close();
    const whole = readFileSync(path);
    // A crash in the middle of writing entry 6: half a line at the end.
    const sixth = `${JSON.stringify({ v: 1, id: 'r:6', seq: 6 })}`.slice(0, 20);
    appendFileSync(path, sixth);
    const b = await openJournal({ register: 'r', storage: createFileStorage({ path }) });
    expect(b.opened.repaired).toMatchObject({ dropped: 20 });
    const [repaired] = await b.read({ from: 6, to: 6 });
    expect(repaired).toMatchObject({ type: 'journal.repaired', data: { storage: 'file', dropped: 20 } });
    expect(await b.verify()).toMatchObject({ ok: true, count: 6 });
    await b.close();
    expect(readFileSync(path).subarray(0, whole.length).equals(whole)).toBe(true);
  });

  it('drops a whole last line whose hash does not match (bytes written out of order) and a tail of zeros', async () => {
    const path = join(dir, 'zeros.jsonl');
    const a = await openJournal({ register: 'r', storage: createFileStorage({ path }) });
    for (let i = 0; i < 3; i++) await a.append('cash.in', cashIn(`${i}.00`));
    await a.close();
    const lines = readFileSync(path, 'utf8').split('\n');
    lines[2] = lines[2]!.replace('"2.00"', '"7.00"');
    writeFileSync(path, `${lines.join('\n')}`);
    appendFileSync(path, Buffer.alloc(4096));
    const b = await openJournal({ register: 'r', storage: createFileStorage({ path }) });
    expect(b.opened.repaired?.dropped).toBeGreaterThan(4096);
    expect(b.head().seq).toBe(3);
    expect((await b.read({ from: 3, to: 3 }))[0]!.type).toBe('journal.repaired');
    expect((await b.verify()).ok).toBe(true);
    await b.close();
  });

  it('a change in the middle of the file is not repaired away: verify() names it', async () => {
    const path = join(dir, 'middle.jsonl');
    const a = await openJournal({ register: 'r', storage: createFileStorage({ path }) });
    for (let i = 0; i < 4; i++) await a.append('cash.in', cashIn(`${i}.00`));
    await a.close();
    writeFileSync(path, readFileSync(path, 'utf8').replace('"1.00"', '"9.00"'));
    const b = await openJournal({ register: 'r', storage: createFileStorage({ path }) });
    expect(b.opened.repaired).toBeUndefined();
    expect((await b.verify()).broken).toMatchObject({ seq: 2, reason: 'hash' });
    await b.close();
    truncateSync(path, 0);
  });
});
