/**
 * `kassa/payments/node`: the file-backed PaymentStore for Node. Kept out of
 * `kassa/payments` so that the browser build never sees node:fs.
 * @packageDocumentation
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { type FileHandle, link, open, readFile, rename, stat, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import { checkOptions, KassaError } from '../errors.js';
import { PaymentRecordSchema } from './schemas.js';
import { createMutex } from './store.js';
import { RecordIndex } from './store-index.js';
import type { PaymentRecord, PaymentStore } from './types.js';

/** What the store cut off a torn file: a write that a crash interrupted was never acknowledged. */
export interface StoreRepair {
  /** Bytes of the unfinished last line that were dropped. */
  readonly bytesDropped: number;
  /** The last whole record before the cut (its 1-based line in the file), if any. */
  readonly lastGood?: { readonly line: number; readonly record: PaymentRecord };
  /** `open`: found when the store was opened; `append`: left by another process that died mid-write. */
  readonly found: 'open' | 'append';
}

/** What {@link FilePaymentStore.compact} moved. */
export interface CompactionResult {
  /** Settled sales moved to the archive. */
  readonly archivedSales: number;
  readonly archivedRecords: number;
  /** Records left in the live file (sales that are not settled). */
  readonly liveRecords: number;
}

/** Options of {@link openFilePaymentStore}. */
export interface FilePaymentStoreOptions {
  /** How long to wait for another process holding the store's lock (default 10 000 ms). */
  readonly lockTimeoutMs?: number;
  /** Called for every repair, at open and later (a torn tail left by another process). */
  readonly onRepair?: (repair: StoreRepair) => void;
}

/** A PaymentStore in a file of JSON lines, shareable between processes on one machine. */
export interface FilePaymentStore extends PaymentStore {
  readonly path: string;
  /** The repair made when the store was opened (a torn last record dropped), or `undefined`. */
  readonly repaired: StoreRepair | undefined;
  /**
   * Moves every settled sale (complete, nothing in flight, no void or refund pending) from
   * the live file to `<path>.archive`, so that opening the store and paying read only what is
   * open. Archived sales stay readable through `records({ saleId })`; a late refund of one
   * brings it back. Safe against a crash at any point and against other processes sharing
   * the store (it holds the store's lock).
   */
  compact(): Promise<CompactionResult>;
  /** Closes the file. */
  close(): Promise<void>;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

function alive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function readPid(file: string): Promise<number | undefined> {
  try {
    return Number.parseInt(await readFile(file, 'utf8'), 10);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

/** Creates `file` holding our pid, atomically (a link never exists half-written). */
async function tryCreate(file: string): Promise<boolean> {
  const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}`;
  const h = await open(tmp, 'w');
  try {
    await h.write(String(process.pid));
  } finally {
    await h.close();
  }
  try {
    await link(tmp, file);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  } finally {
    await unlink(tmp).catch(() => undefined);
  }
}

/**
 * The cross-process lock: a lock file holding the owner's pid. A lock whose owner died
 * (SIGKILL, power loss) is broken, under a second lock so that two waiters cannot both
 * break it and both enter.
 */
async function acquireFileLock(lockPath: string, timeoutMs: number): Promise<() => Promise<void>> {
  const deadline = Date.now() + timeoutMs;
  let wait = 1;
  for (;;) {
    if (await tryCreate(lockPath)) return () => unlink(lockPath).catch(() => undefined);
    const pid = await readPid(lockPath);
    if (pid !== undefined && pid !== process.pid && !alive(pid)) {
      const breaker = `${lockPath}.break`;
      if (await tryCreate(breaker)) {
        try {
          if ((await readPid(lockPath)) === pid) await unlink(lockPath).catch(() => undefined);
        } finally {
          await unlink(breaker).catch(() => undefined);
        }
        continue;
      }
      const bpid = await readPid(breaker);
      if (bpid !== undefined && bpid !== process.pid && !alive(bpid))
        await unlink(breaker).catch(() => undefined);
    }
    if (Date.now() > deadline) {
      throw new KassaError(
        'payment.store_locked',
        `The payment store lock ${lockPath} is held by process ${pid}`,
        {
          pid,
        },
      );
    }
    await sleep(wait);
    wait = Math.min(wait * 2, 20);
  }
}

interface Parsed {
  records: { record: PaymentRecord; line: number }[];
  /** Bytes of whole lines read (blank lines included). */
  consumed: number;
  /** Bytes after the last newline. */
  tail: number;
}

/** Parses whole lines; blank lines are skipped, a bad whole line is corruption. */
function parseLines(buf: Buffer, firstLine: number, path: string): Parsed {
  const end = buf.lastIndexOf(0x0a) + 1;
  const text = buf.subarray(0, end).toString('utf8');
  const records: Parsed['records'] = [];
  let line = firstLine;
  let start = 0;
  while (start < text.length) {
    const nl = text.indexOf('\n', start);
    const raw = text.slice(start, nl);
    start = nl + 1;
    line += 1;
    if (raw.trim().length === 0) continue;
    let parsed: ReturnType<typeof PaymentRecordSchema.safeParse> | undefined;
    try {
      parsed = PaymentRecordSchema.safeParse(JSON.parse(raw));
    } catch {
      parsed = undefined;
    }
    if (!parsed?.success) {
      throw new KassaError('payment.store_corrupt', `Line ${line} of ${path} is not a payment record`, {
        line,
      });
    }
    records.push({ record: parsed.data, line });
  }
  return { records, consumed: end, tail: buf.length - end };
}

/**
 * Opens (creating if needed) a payment store in `path`: one JSON record per line, each
 * appended and fsync'ed before `append` resolves, so an attempt is on disk before its
 * request leaves.
 *
 * - A last line torn by a crash mid-write is dropped (it was never acknowledged) and
 *   reported in {@link FilePaymentStore.repaired}; a bad whole line anywhere is corruption
 *   and refuses to open. Blank lines (an outside edit) are skipped, and a record is never
 *   written onto an unfinished line.
 * - Several processes on one machine may share the file: a lock file (`<path>.lock`, holding
 *   the owner's pid, broken when the owner is dead) serialises their writes, and each
 *   process reads the others' records before it writes. This is what holds one attempt in
 *   flight per terminal across processes. Network file systems are not supported.
 * - Settled sales can be moved to `<path>.archive` with {@link FilePaymentStore.compact};
 *   opening and paying then read only what is open.
 * @example
 * ```ts
 * import { openFilePaymentStore } from 'kassa/payments/node';
 * const store = await openFilePaymentStore('/var/lib/till/payments.jsonl');
 * if (store.repaired) log.warn('payment store repaired', store.repaired);
 * ```
 * @throws KassaError `payment.store_corrupt`, `payment.store_locked`
 */
export async function openFilePaymentStore(
  path: string,
  options: FilePaymentStoreOptions = {},
): Promise<FilePaymentStore> {
  if (typeof path !== 'string' || path.length === 0) {
    throw new KassaError('validation.invalid_input', 'A store path is required', { path: ['path'] });
  }
  checkOptions(options, ['lockTimeoutMs', 'onRepair'], 'file store options');
  const lockPath = `${path}.lock`;
  const archivePath = `${path}.archive`;
  const archiveIndexPath = `${path}.archive-index`;
  const lockTimeoutMs = options.lockTimeoutMs ?? 10_000;

  let handle: FileHandle = await open(path, 'a+');
  let ino = (await handle.stat()).ino;
  let offset = 0;
  let lines = 0;
  let lastGood: StoreRepair['lastGood'];
  let index = new RecordIndex();
  let archived = new Map<string, [offset: number, length: number]>();
  let repaired: StoreRepair | undefined;
  let closed = false;

  const serial = createMutex();
  const inside = new AsyncLocalStorage<boolean>();

  async function readArchiveIndex(): Promise<void> {
    archived = new Map();
    let text = '';
    try {
      text = await readFile(archiveIndexPath, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
    for (const row of text.split('\n')) {
      if (row.trim().length === 0) continue;
      try {
        const [id, at, len] = JSON.parse(row) as [string, number, number];
        archived.set(id, [at, len]);
      } catch {
        // A torn last index line: its archive slice was never acknowledged.
      }
    }
  }

  async function readArchived(saleId: string): Promise<PaymentRecord[]> {
    const where = archived.get(saleId);
    if (!where) return [];
    const h = await open(archivePath, 'r');
    try {
      const buf = Buffer.alloc(where[1]);
      await h.read(buf, 0, where[1], where[0]);
      return parseLines(buf, 0, archivePath).records.map((r) => r.record);
    } finally {
      await h.close();
    }
  }

  /** Brings a sale that was archived back into memory before a new record of it is applied. */
  async function ensureLoaded(saleId: string): Promise<void> {
    if (index.bySale.has(saleId) || !archived.has(saleId)) return;
    for (const r of await readArchived(saleId)) index.apply(r);
  }

  /** Reads what other processes appended; cuts a torn tail (its writer is dead: we hold the lock). */
  async function refresh(found: StoreRepair['found']): Promise<void> {
    const st = await stat(path).catch(() => undefined);
    if (!st || st.ino !== ino || st.size < offset) {
      // Compacted (or replaced) by another process: start again from the new file.
      await handle.close();
      handle = await open(path, 'a+');
      ino = (await handle.stat()).ino;
      offset = 0;
      lines = 0;
      lastGood = undefined;
      index = new RecordIndex();
      await readArchiveIndex();
      return refresh(found);
    }
    const size = (await handle.stat()).size;
    if (size === offset) return;
    const buf = Buffer.alloc(size - offset);
    await handle.read(buf, 0, buf.length, offset);
    const parsed = parseLines(buf, lines, path);
    const fresh = parsed.records;
    // A sale found both here and in the archive was being compacted when a process died:
    // the live copy starts with the archived records; keep one copy.
    const both = new Set(
      fresh.map((r) => r.record.saleId).filter((id) => archived.has(id) && !index.bySale.has(id)),
    );
    const skip = new Set<number>();
    for (const id of both) {
      const old = (await readArchived(id)).map((r) => JSON.stringify(r));
      const mine = fresh.filter((r) => r.record.saleId === id);
      const prefix = old.length <= mine.length && old.every((o, i) => JSON.stringify(mine[i]!.record) === o);
      if (prefix) for (const r of mine.slice(0, old.length)) skip.add(r.line);
      else await ensureLoaded(id);
    }
    for (const { record, line } of fresh) {
      if (skip.has(line)) continue;
      await ensureLoaded(record.saleId);
      index.apply(record);
      lastGood = { line, record };
    }
    lines += buf.subarray(0, parsed.consumed).reduce((n, b) => n + (b === 0x0a ? 1 : 0), 0);
    offset += parsed.consumed;
    if (parsed.tail > 0) {
      await handle.truncate(offset);
      await handle.sync();
      const repair: StoreRepair = { bytesDropped: parsed.tail, ...(lastGood ? { lastGood } : {}), found };
      if (found === 'open') repaired = repair;
      options.onRepair?.(repair);
    }
  }

  function locked<T>(fn: () => Promise<T>): Promise<T> {
    if (inside.getStore()) return fn();
    return serial(async () => {
      if (closed) throw new KassaError('payment.invalid_state', `The payment store ${path} is closed`);
      const release = await acquireFileLock(lockPath, lockTimeoutMs);
      try {
        await refresh('append');
        return await inside.run(true, fn);
      } finally {
        await release();
      }
    });
  }

  async function write(record: PaymentRecord): Promise<void> {
    const clean = PaymentRecordSchema.parse(record);
    const line = `${JSON.stringify(clean)}\n`;
    await ensureLoaded(clean.saleId);
    await handle.write(line, offset);
    await handle.sync();
    offset += Buffer.byteLength(line, 'utf8');
    lines += 1;
    index.apply(clean);
    lastGood = { line: lines, record: clean };
  }

  // Opening repairs under the lock, so a live writer in another process is never cut.
  {
    const release = await acquireFileLock(lockPath, lockTimeoutMs);
    try {
      await readArchiveIndex();
      await refresh('open');
    } finally {
      await release();
    }
  }

  const store: FilePaymentStore = {
    path,
    get repaired() {
      return repaired;
    },
    append(record) {
      return locked(() => write(record));
    },
    records(query) {
      return locked(async () => {
        if (query?.saleId !== undefined) {
          await ensureLoaded(query.saleId);
          return (index.bySale.get(query.saleId) ?? []).map((r) => structuredClone(r));
        }
        const out: PaymentRecord[] = [];
        for (const id of archived.keys()) if (!index.bySale.has(id)) out.push(...(await readArchived(id)));
        for (const list of index.bySale.values()) out.push(...list.map((r) => structuredClone(r)));
        return out;
      });
    },
    exclusive(fn) {
      return locked(fn);
    },
    openAttempts(provider) {
      return locked(async () => index.openAttempts(provider));
    },
    openSales() {
      return locked(async () => index.openSales());
    },
    compact() {
      return locked(async () => {
        const settled = index.settledSales();
        let archivedRecords = 0;
        if (settled.length > 0) {
          const a = await open(archivePath, 'a');
          let at = (await a.stat()).size;
          const rows: string[] = [];
          try {
            const chunks: string[] = [];
            for (const id of settled) {
              const text = index.bySale
                .get(id)!
                .map((r) => `${JSON.stringify(r)}\n`)
                .join('');
              const len = Buffer.byteLength(text, 'utf8');
              chunks.push(text);
              rows.push(`${JSON.stringify([id, at, len])}\n`);
              at += len;
              archivedRecords += index.bySale.get(id)!.length;
            }
            await a.write(chunks.join(''));
            await a.sync();
          } finally {
            await a.close();
          }
          // The index line is the commit point of an archived sale: written after its records.
          const ix = await open(archiveIndexPath, 'a');
          try {
            await ix.write(rows.join(''));
            await ix.sync();
          } finally {
            await ix.close();
          }
          await readArchiveIndex();
        }
        for (const id of settled) index.forget(id);
        const keep = [...index.bySale.values()].flat();
        const tmp = `${path}.compact-tmp`;
        const t = await open(tmp, 'w');
        const body = keep.map((r) => `${JSON.stringify(r)}\n`).join('');
        try {
          await t.write(body);
          await t.sync();
        } finally {
          await t.close();
        }
        await rename(tmp, path);
        const dir = await open(dirname(path), 'r');
        await dir.sync().catch(() => undefined);
        await dir.close();
        await handle.close();
        handle = await open(path, 'a+');
        ino = (await handle.stat()).ino;
        offset = Buffer.byteLength(body, 'utf8');
        lines = keep.length;
        return { archivedSales: settled.length, archivedRecords, liveRecords: keep.length };
      });
    },
    async close() {
      await serial(async () => {
        closed = true;
        await handle.close();
      });
    },
  };
  return store;
}
