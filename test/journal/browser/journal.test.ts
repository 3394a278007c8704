import { createServer, type Server } from 'node:http';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AnyJournalEntry, createMemoryStorage } from '../../../src/journal/index.js';
import { buildReferenceJournal } from '../reference-journal.js';

// The journal in real headless Chromium: IndexedDB storage, and the same hashes as Node's.

type Api = {
  indexedDb(name: string): Promise<{
    persistence: string;
    verify: { ok: boolean; count: number; unsigned: number };
    cashOnly: number[];
    meta: string;
    head: { seq: number };
  }>;
  reference(): Promise<{ offset: number; zone: string; entries: AnyJournalEntry[] }>;
  rehash(entries: AnyJournalEntry[]): Promise<{ hashes: string[]; result: { ok: boolean; count: number } }>;
};

let server: Server;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  const out = await build({
    entryPoints: [fileURLToPath(new URL('./page-entry.ts', import.meta.url))],
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'chrome120',
    write: false,
    logLevel: 'silent',
  });
  const js = out.outputFiles[0]!.text;
  server = createServer((req, res) => {
    if (req.url === '/bundle.js') {
      res.writeHead(200, { 'content-type': 'text/javascript' });
      res.end(js);
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end('<!doctype html><html><body><script src="/bundle.js"></script></body></html>');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  // A time zone far from both UTC and the register's own (Europe/Berlin).
  const context = await browser.newContext({ timezoneId: 'Pacific/Kiritimati' });
  page = await context.newPage();
  await page.goto(`http://127.0.0.1:${(server.address() as { port: number }).port}/`);
  await page.waitForFunction(() => 'kassaJournalTest' in window);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await new Promise((r) => server?.close(r));
});

const call = <K extends keyof Api>(name: K, ...args: Parameters<Api[K]>): ReturnType<Api[K]> =>
  page.evaluate(
    ([n, a]) =>
      (window as unknown as { kassaJournalTest: Record<string, (...x: unknown[]) => unknown> })
        .kassaJournalTest[n as string]!(...(a as unknown[])),
    [name, args] as const,
  ) as ReturnType<Api[K]>;

describe('journal in headless Chromium', () => {
  it('IndexedDB storage: durable appends, reopen, signatures, reads by type, meta, persistence reported', async () => {
    const r = await call('indexedDb', 'kassa-test-1');
    expect(['persisted', 'best-effort']).toContain(r.persistence);
    expect(r.verify).toMatchObject({ ok: true, count: 21, unsigned: 0 });
    expect(r.cashOnly).toEqual([5, 6, 7]);
    expect(r.meta).toBe('12');
    expect(r.head.seq).toBe(21);
  });

  it('builds the same journal with the same hashes as Node, under another time zone', async () => {
    const inBrowser = await call('reference');
    expect(inBrowser.zone).toBe('Pacific/Kiritimati');
    expect(inBrowser.offset).not.toBe(0);
    const inNode = await buildReferenceJournal(createMemoryStorage());
    expect(inBrowser.entries.map((e) => e.hash)).toEqual(inNode.map((e) => e.hash));
    expect(inNode[0]!.businessDate).toBe('2026-07-01');
    // And Chromium verifies what Node wrote.
    const rehashed = await call('rehash', inNode);
    expect(rehashed.hashes).toEqual(inNode.map((e) => e.hash));
    expect(rehashed.result).toMatchObject({ ok: true, count: inNode.length });
  });
});
