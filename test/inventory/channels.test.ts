import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { createInventory, createPostgresInventoryStorage } from '../../src/inventory/node.js';
import { createTestDatabase } from '../provision/db.js';

const run = promisify(execFile);
const script = join(import.meta.dirname, 'fixtures', 'channel.ts');

async function channel(url: string, role: string, units: number, dir: string): Promise<unknown> {
  const { stdout } = await run(process.execPath, ['--import', 'tsx', script, url, role, String(units), dir], {
    cwd: join(import.meta.dirname, '..', '..'),
    timeout: 90_000,
  });
  return JSON.parse(stdout.trim());
}

async function seed(url: string): Promise<void> {
  const inventory = createInventory({
    storage: await createPostgresInventoryStorage({ connection: url, max: 1 }),
  });
  await inventory.record([
    { id: 'po-1', sku: 'maxi-dress', location: 'shop', quantity: '50', reason: 'receipt' },
  ]);
  await inventory.close();
}

describe('one stock for every channel (PostgreSQL, separate processes)', () => {
  it('50 maxi dresses; the register sells 25 and the online shop 10; both see 15', async () => {
    const db = createTestDatabase('kassa_channels');
    const dir = mkdtempSync(join(tmpdir(), 'kassa-channels-'));
    try {
      await seed(db.url);
      const [register, online] = await Promise.all([
        channel(db.url, 'register', 25, dir),
        channel(db.url, 'online', 10, dir),
      ]);
      const expected = { sku: 'maxi-dress', location: 'shop', onHand: '15', reserved: '0', available: '15' };
      expect(register).toEqual(expected);
      expect(online).toEqual(expected);
    } finally {
      rmSync(dir, { recursive: true, force: true });
      db.drop();
    }
  }, 120_000);

  it('the same with the register offline during its sales, syncing its journal afterwards', async () => {
    const db = createTestDatabase('kassa_channels');
    const dir = mkdtempSync(join(tmpdir(), 'kassa-channels-'));
    try {
      await seed(db.url);
      const [register, online] = await Promise.all([
        channel(db.url, 'register-offline', 25, dir),
        channel(db.url, 'online', 10, dir),
      ]);
      const expected = { sku: 'maxi-dress', location: 'shop', onHand: '15', reserved: '0', available: '15' };
      expect(register).toEqual(expected);
      expect(online).toEqual(expected);
    } finally {
      rmSync(dir, { recursive: true, force: true });
      db.drop();
    }
  }, 120_000);

  it("negative: 'deny': 20 sellers on separate connections race for the last 5 units; 5 sell, 15 are refused", async () => {
    const db = createTestDatabase('kassa_race');
    try {
      await seed(db.url);
      const setup = createInventory({
        storage: await createPostgresInventoryStorage({ connection: db.url, max: 1 }),
      });
      await setup.record([
        { id: 'sold-45', sku: 'maxi-dress', location: 'shop', quantity: '-45', reason: 'sale' },
      ]);
      await setup.close();
      // Each seller its own pool of one connection: 20 connections, as 20 tills would have.
      const sellers = await Promise.all(
        Array.from({ length: 20 }, async () =>
          createInventory({
            storage: await createPostgresInventoryStorage({ connection: db.url, max: 1 }),
            policy: { negative: 'deny' },
          }),
        ),
      );
      const results = await Promise.allSettled(
        sellers.map((s, i) =>
          s.record([
            { id: `race-${i}`, sku: 'maxi-dress', location: 'shop', quantity: '-1', reason: 'sale' },
          ]),
        ),
      );
      const sold = results.filter((r) => r.status === 'fulfilled').length;
      const refused = results.filter(
        (r) =>
          r.status === 'rejected' && (r.reason as { code?: string }).code === 'inventory.insufficient_stock',
      ).length;
      expect({ sold, refused }).toEqual({ sold: 5, refused: 15 });
      expect((await sellers[0]!.level('maxi-dress', 'shop')).onHand).toBe('0');
      await Promise.all(sellers.map((s) => s.close()));
    } finally {
      db.drop();
    }
  }, 120_000);
});
