import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';
import { createMemoryStorage } from '../../src/journal/index.js';
import { buildReferenceJournal } from './reference-journal.js';

const outfile = join(
  import.meta.dirname,
  '..',
  '..',
  'node_modules',
  '.cache',
  'kassa-journal-tz',
  'child.mjs',
);
beforeAll(async () => {
  mkdirSync(join(outfile, '..'), { recursive: true });
  await build({
    entryPoints: [join(import.meta.dirname, 'determinism', 'tz-child.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile,
    logLevel: 'silent',
  });
}, 60_000);

describe('the same hashes under any process time zone', () => {
  it.each(['UTC', 'Pacific/Chatham', 'America/St_Johns', 'Asia/Kathmandu', 'Pacific/Kiritimati'])(
    'TZ=%s',
    async (tz) => {
      const out = JSON.parse(
        execFileSync(process.execPath, [outfile], { env: { ...process.env, TZ: tz }, encoding: 'utf8' }),
      );
      expect(out.tz).toBe(tz);
      if (tz !== 'UTC') expect(out.offset).not.toBe(0);
      const here = await buildReferenceJournal(createMemoryStorage());
      expect(out.entries.map((e: { hash: string }) => e.hash)).toEqual(here.map((e) => e.hash));
      expect(out.entries[0].businessDate).toBe('2026-07-01');
      expect(out.entries[0].at).toBe('2026-06-30T22:30:00.123Z');
    },
  );
});
