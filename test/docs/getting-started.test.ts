import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it, vi } from 'vitest';

const SUBPATHS: Record<string, string> = {
  kassa: 'src/index.ts',
  'kassa/checkout': 'src/checkout/index.ts',
  'kassa/journal': 'src/journal/index.ts',
  'kassa/journal/node': 'src/journal/node.ts',
  'kassa/payments': 'src/payments/index.ts',
  'kassa/payments/node': 'src/payments/node.ts',
  'kassa/receipts': 'src/receipts/index.ts',
};

/** The getting-started till runs as written, against the package source, in a fresh folder. */
describe('docs/getting-started.md', () => {
  it('the 40-line till runs, twice (the second run recovers the open shift), and prints a receipt', async () => {
    const doc = readFileSync(new URL('../../docs/getting-started.md', import.meta.url), 'utf8');
    const start = doc.indexOf('```ts', doc.indexOf('## A till in 40 lines'));
    let code = doc.slice(start + 5, doc.indexOf('```', start + 5));
    expect(code.trim().split('\n').length).toBeLessThanOrEqual(45);
    for (const [name, path] of Object.entries(SUBPATHS)) {
      code = code.replaceAll(`from '${name}'`, `from '${new URL(`../../${path}`, import.meta.url).href}'`);
    }
    const dir = mkdtempSync(join(tmpdir(), 'kassa-start-'));
    const lines: string[] = [];
    const log = vi
      .spyOn(console, 'log')
      .mockImplementation((...args: unknown[]) => void lines.push(args.join(' ')));
    const cwd = process.cwd();
    try {
      process.chdir(dir);
      for (const run of [1, 2]) {
        const file = join(dir, `till-${run}.ts`);
        writeFileSync(file, code);
        await import(pathToFileURL(file).href);
      }
    } finally {
      process.chdir(cwd);
      log.mockRestore();
    }
    expect(lines).toHaveLength(2);
    expect(lines[0]).toContain('TOTAAL');
    expect(lines[1]).toContain('till-1-000002');
    const journal = readFileSync(join(dir, 'journal.jsonl'), 'utf8').trim().split('\n');
    expect(journal.filter((l) => l.includes('"type":"shift.opened"'))).toHaveLength(1);
    expect(journal.filter((l) => l.includes('"type":"sale.completed"'))).toHaveLength(2);
  });
});
