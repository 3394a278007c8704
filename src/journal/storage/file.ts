import { type FileHandle, open, readFile, rename } from 'node:fs/promises';
import { dirname } from 'node:path';
import { KassaError } from '../../errors.js';
import { canonicalJson } from '../canonical.js';
import { computeEntryHash } from '../chain.js';
import type { AnyJournalEntry } from '../entries.js';
import type { JournalStorage, StorageOpenResult, StorageReadQuery } from './types.js';

/** Options of {@link createFileStorage}. */
export interface FileStorageOptions {
  /** The journal file (one canonical JSON entry per line). Created when missing. */
  readonly path: string;
}

const NEWLINE = 0x0a;
const CHUNK = 1 << 20;

async function fsyncDirectory(path: string): Promise<void> {
  const dir = await open(dirname(path), 'r');
  try {
    await dir.sync();
  } finally {
    await dir.close();
  }
}

/**
 * Node file storage: an append-only file of canonical JSON lines. Each batch the journal hands
 * over (its group commit) is one `write` and one `fdatasync`. At open, a torn tail (the part of
 * a batch a crash cut short: an unterminated line, a line that does not parse, or one whose
 * hash does not match) is cut off and reported; nothing in it was ever acknowledged, because an
 * append resolves only after the fdatasync that covers it.
 *
 * One process per file: the adapter takes no lock, so two writers on one file would interleave.
 */
export function createFileStorage(options: FileStorageOptions): JournalStorage & { readonly path: string } {
  const { path } = options;
  const metaPath = `${path}.meta.json`;
  let handle: FileHandle | undefined;
  /** Start offset of each line: offsets[seq - 1]; offsets[n] is the end of the file. */
  let offsets: number[] = [0];
  let meta: Record<string, string> = {};

  const file = (): FileHandle => {
    if (!handle) throw new KassaError('journal.closed', 'The file storage is not open');
    return handle;
  };

  async function readRange(start: number, end: number): Promise<Buffer> {
    const buffer = Buffer.allocUnsafe(end - start);
    let done = 0;
    while (done < buffer.length) {
      const { bytesRead } = await file().read(buffer, done, buffer.length - done, start + done);
      if (bytesRead === 0) break;
      done += bytesRead;
    }
    return buffer.subarray(0, done);
  }

  async function tailIsWhole(seq: number): Promise<boolean> {
    const raw = await readRange(offsets[seq - 1]!, offsets[seq]!);
    if (raw.length === 0 || raw[raw.length - 1] !== NEWLINE) return false;
    try {
      const entry = JSON.parse(raw.subarray(0, raw.length - 1).toString('utf8')) as AnyJournalEntry;
      if (entry.seq !== seq) return false;
      const { hash, ...rest } = entry;
      return hash === (await computeEntryHash(rest));
    } catch {
      return false;
    }
  }

  return {
    kind: 'file',
    path,
    async open(): Promise<StorageOpenResult> {
      let created = false;
      try {
        handle = await open(path, 'r+');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
        handle = await open(path, 'a+');
        created = true;
      }
      if (created) await fsyncDirectory(path);
      const { size } = await handle.stat();
      offsets = [0];
      const buffer = Buffer.allocUnsafe(CHUNK);
      for (let position = 0; position < size; ) {
        const { bytesRead } = await handle.read(buffer, 0, Math.min(CHUNK, size - position), position);
        if (bytesRead === 0) break;
        for (
          let i = buffer.indexOf(NEWLINE, 0);
          i !== -1 && i < bytesRead;
          i = buffer.indexOf(NEWLINE, i + 1)
        )
          offsets.push(position + i + 1);
        position += bytesRead;
      }
      // Bytes after the last newline form an unterminated line: count it so the loop below drops it.
      if (offsets[offsets.length - 1]! < size) offsets.push(size);
      let dropped = 0;
      const reasons: string[] = [];
      while (offsets.length > 1 && !(await tailIsWhole(offsets.length - 1))) {
        const start = offsets[offsets.length - 2]!;
        dropped += offsets[offsets.length - 1]! - start;
        reasons.push(`line ${offsets.length - 1}`);
        offsets.pop();
      }
      if (dropped > 0) {
        await handle.truncate(offsets[offsets.length - 1]!);
        await handle.datasync();
      }
      await handle.close();
      // Reopened in append mode: every write lands at the end, whatever the position says.
      handle = await open(path, 'a+');
      try {
        meta = JSON.parse(await readFile(metaPath, 'utf8')) as Record<string, string>;
      } catch {
        meta = {};
      }
      const count = offsets.length - 1;
      const head = count > 0 ? ((await this.read({ from: count, to: count, limit: 1 }))[0] ?? null) : null;
      return {
        head,
        ...(dropped > 0
          ? {
              repaired: {
                dropped,
                detail: `cut ${dropped} bytes of a torn tail (${reasons.reverse().join(', ')}) from ${path}`,
              },
            }
          : {}),
      };
    },
    async append(entries) {
      const lines = entries.map((e) => `${canonicalJson(e)}\n`);
      const bytes = Buffer.from(lines.join(''), 'utf8');
      const start = offsets[offsets.length - 1]!;
      try {
        let written = 0;
        while (written < bytes.length) {
          const { bytesWritten } = await file().write(bytes, written, bytes.length - written);
          written += bytesWritten;
        }
        await file().datasync();
      } catch (error) {
        // Leave no half batch behind for the next append to land after.
        await file()
          .truncate(start)
          .catch(() => undefined);
        throw error;
      }
      let at = start;
      for (const line of lines) {
        at += Buffer.byteLength(line, 'utf8');
        offsets.push(at);
      }
    },
    async read(query: StorageReadQuery) {
      const count = offsets.length - 1;
      const from = Math.max(1, query.from);
      const to = Math.min(query.to, count);
      if (from > to) return [];
      const types = query.types ? new Set<string>(query.types) : undefined;
      const out: AnyJournalEntry[] = [];
      for (let start = from; start <= to && out.length < query.limit; ) {
        const end = Math.min(to, start + 999);
        const raw = (await readRange(offsets[start - 1]!, offsets[end]!)).toString('utf8');
        for (const line of raw.split('\n')) {
          if (line.length === 0) continue;
          const entry = JSON.parse(line) as AnyJournalEntry;
          if (types && !types.has(entry.type)) continue;
          out.push(entry);
          if (out.length >= query.limit) break;
        }
        start = end + 1;
      }
      return out;
    },
    async getMeta(key) {
      return meta[key];
    },
    async setMeta(key, value) {
      const next = { ...meta, [key]: value };
      const tmp = `${metaPath}.tmp`;
      const fh = await open(tmp, 'w');
      try {
        await fh.writeFile(JSON.stringify(next));
        await fh.datasync();
      } finally {
        await fh.close();
      }
      await rename(tmp, metaPath);
      await fsyncDirectory(metaPath);
      meta = next;
    },
    async close() {
      const h = handle;
      handle = undefined;
      await h?.close();
    },
  };
}
