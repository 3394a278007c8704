import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';

let bundled: Promise<string> | undefined;

/** Bundles child.ts once into one ESM file (node starts it in tens of milliseconds). */
export function childBundle(): Promise<string> {
  bundled ??= (async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kassa-child-'));
    const outfile = join(dir, 'child.mjs');
    await build({
      entryPoints: [new URL('./child.ts', import.meta.url).pathname],
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      outfile,
      logLevel: 'silent',
      banner: {
        js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
      },
    });
    return outfile;
  })();
  return bundled;
}

export interface Child {
  readonly proc: ChildProcess;
  readonly lines: Record<string, unknown>[];
  /** Resolves with the exit code (null when killed). */
  readonly exited: Promise<number | null>;
}

export async function runChild(plan: unknown): Promise<Child> {
  const file = await childBundle();
  const proc = spawn(process.execPath, [file, JSON.stringify(plan)], { stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: Record<string, unknown>[] = [];
  let buf = '';
  let err = '';
  proc.stdout!.on('data', (c: Buffer) => {
    buf += c.toString();
    for (let i = buf.indexOf('\n'); i >= 0; i = buf.indexOf('\n')) {
      lines.push(JSON.parse(buf.slice(0, i)) as Record<string, unknown>);
      buf = buf.slice(i + 1);
    }
  });
  proc.stderr!.on('data', (c: Buffer) => {
    err += c.toString();
  });
  const exited = new Promise<number | null>((resolve) =>
    proc.on('exit', (code) => {
      if (code !== 0 && code !== null && err) process.stderr.write(err);
      resolve(code);
    }),
  );
  return { proc, lines, exited };
}
