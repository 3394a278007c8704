import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openJournal } from '../../src/journal/index.js';
import { createFileStorage } from '../../src/journal/node.js';

const TILL = new URL('./crash/till.ts', import.meta.url).pathname;

/** Every point of a sale where the till can die: before and after each durable write and each effect. */
const POINTS = [
  'after:shift.opened',
  'before:drawer.opened',
  'after:drawer.opened',
  'before:sale.tendering',
  'after:sale.tendering',
  'payment-record-1', // the card attempt journaled, the terminal not yet asked
  'terminal-charged', // the card charged, the till never heard back
  'payment-record-2',
  'payment-record-3',
  'payment-record-4',
  'before:sale.completed',
  'after:sale.completed',
  'after:inventory',
  'after:print',
];

function runTill(dir: string, killAt?: string) {
  return spawnSync(process.execPath, ['--import', 'tsx', TILL, dir, ...(killAt ? [killAt] : [])], {
    encoding: 'utf8',
    timeout: 60_000,
  });
}

const lines = (file: string) => {
  try {
    return readFileSync(file, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Record<string, string>);
  } catch {
    return [];
  }
};

describe('a till killed with SIGKILL at every step of a sale', () => {
  for (const point of POINTS) {
    it(`recovers after dying at ${point}: one sale, no double charge, no double stock movement`, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'kassa-crash-'));
      const killed = runTill(dir, point);
      expect(killed.signal, `the till should have died at ${point}: ${killed.stderr}`).toBe('SIGKILL');
      const resumed = runTill(dir);
      expect(resumed.status, resumed.stderr).toBe(0);

      const journal = await openJournal({
        register: 'till-1',
        storage: createFileStorage({ path: join(dir, 'journal.jsonl') }),
      });
      expect((await journal.verify()).ok).toBe(true);
      const sales = await journal.read({ types: ['sale.completed'] });
      expect(sales).toHaveLength(1);
      const sale = sales[0]!;
      if (sale.type !== 'sale.completed') throw new Error('unreachable');
      // No double charge: the terminal charged each attempt at most once, and the card total
      // is what the journaled sale says the card paid.
      const charges = lines(join(dir, 'terminal.jsonl'));
      expect(new Set(charges.map((c) => c.attemptId)).size).toBe(charges.length);
      const card = sale.data.tenders.filter((t) => t.type === 'card');
      expect(charges.map((c) => c.amount)).toEqual(card.map((t) => t.amount));
      // The tenders pay the sale exactly.
      const paid = sale.data.tenders.reduce((s, t) => s + Math.round(Number(t.amount) * 100), 0);
      expect(paid).toBe(Math.round(Number(sale.data.totals.paid) * 100));
      // No lost and no double stock movement.
      const movements = lines(join(dir, 'stock.jsonl'));
      expect(movements.map((m) => m.id).sort()).toEqual(sale.data.stockMovements.map((m) => m.id).sort());
      expect((await journal.read({ types: ['shift.opened'] })).length).toBe(1);
      await journal.close();
    }, 120_000);
  }
});
