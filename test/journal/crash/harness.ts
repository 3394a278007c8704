import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { createFileStorage, createSqliteStorage, openJournal } from '../../../src/journal/node.js';

const root = join(import.meta.dirname, '..', '..', '..');

/** Bundles the child once so that each start costs a plain `node` start, not a TypeScript loader. */
export async function bundleCrashChild(): Promise<string> {
  const outDir = join(root, 'node_modules', '.cache', 'kassa-journal-crash');
  mkdirSync(outDir, { recursive: true });
  const outfile = join(outDir, 'child.mjs');
  await build({
    entryPoints: [join(import.meta.dirname, 'child.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile,
    external: ['better-sqlite3'],
    logLevel: 'silent',
  });
  return outfile;
}

/** A small seeded PRNG (mulberry32), so a failing run can be replayed from its seed. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface KillRound {
  readonly acked: number;
  readonly headAfter: number;
  readonly repairedBytes: number;
}

/**
 * One round: start the child on `path`, let it append, SIGKILL it after `delayMs` from its first
 * acknowledgement, then reopen and check that every acknowledged append is there and the chain
 * verifies with no gap. Throws on any violation.
 */
export async function killRound(
  child: string,
  kind: 'file' | 'sqlite',
  path: string,
  delayMs: number,
  appenders = 4,
): Promise<KillRound> {
  const acks = new Map<number, string>();
  let repairedBytes = 0;
  await new Promise<void>((resolve, reject) => {
    const proc = spawn(process.execPath, [child, kind, path, String(appenders)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let buffer = '';
    let stderr = '';
    let timer: NodeJS.Timeout | undefined;
    proc.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    proc.stdout.on('data', (d: Buffer) => {
      buffer += d.toString();
      let nl = buffer.indexOf('\n');
      while (nl !== -1) {
        const [what, a, b] = buffer.slice(0, nl).split(' ');
        buffer = buffer.slice(nl + 1);
        nl = buffer.indexOf('\n');
        if (what === 'open') repairedBytes = Number(b);
        if (what === 'ack') {
          acks.set(Number(a), b!);
          timer ??= setTimeout(() => proc.kill('SIGKILL'), delayMs);
        }
      }
    });
    proc.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (signal === 'SIGKILL') resolve();
      else reject(new Error(`crash child exited with ${code}: ${stderr}`));
    });
  });
  const storage = kind === 'sqlite' ? createSqliteStorage({ path }) : createFileStorage({ path });
  const journal = await openJournal({ register: 'crash', storage });
  try {
    const result = await journal.verify();
    if (!result.ok) throw new Error(`chain broken after a kill: ${JSON.stringify(result.broken)}`);
    for (const [seq, saleId] of acks) {
      const [entry] = await journal.read({ from: seq, to: seq });
      if (!entry || entry.type !== 'sale.completed' || entry.data.saleId !== saleId)
        throw new Error(`acknowledged append ${seq} (${saleId}) is missing after a kill`);
    }
    return { acked: acks.size, headAfter: journal.head().seq, repairedBytes };
  } finally {
    await journal.close();
  }
}
