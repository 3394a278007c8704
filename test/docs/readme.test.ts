import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it, vi } from 'vitest';

/**
 * The README's quick start is the first code a user copies: it must run as written, against
 * the real package source, and print what a till would show.
 */
describe('README quick start', () => {
  it('runs as written and prices the basket', async () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const start = readme.indexOf('```ts', readme.indexOf('## Quick start'));
    const code = readme.slice(start + 5, readme.indexOf('```', start + 5));
    const source = new URL('../../src/index.ts', import.meta.url).href;
    const dir = mkdtempSync(join(tmpdir(), 'kassa-readme-'));
    const file = join(dir, 'quick-start.ts');
    writeFileSync(file, code.replaceAll("from 'kassa'", `from '${source}'`));

    const lines: unknown[][] = [];
    const log = vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
      lines.push(args);
    });
    try {
      await import(pathToFileURL(file).href);
    } finally {
      log.mockRestore();
    }
    // One emission on subscribe, then one per accepted command.
    expect(lines.filter((l) => l[0] === 'due').map((l) => l[1])).toEqual([
      '0.00',
      '8.99',
      '10.11',
      '25.09',
      '23.59',
    ]);
    const [total, breakdown] = lines.at(-1)!;
    expect(String(total).replace(/\s/g, ' ')).toBe('€ 23,59');
    expect(breakdown).toEqual([
      expect.objectContaining({ id: 'vat-21', base: '11.14', amount: '2.34' }),
      expect.objectContaining({ id: 'vat-9', base: '9.28', amount: '0.83' }),
    ]);
  });
});
