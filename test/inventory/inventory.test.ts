import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { firstValueFrom, take, toArray } from 'rxjs';
import { afterAll, describe, expect, it } from 'vitest';
import { createManualClock } from '../../src/clock.js';
import {
  createInventory,
  createMemoryInventoryStorage,
  createPostgresInventoryStorage,
  createSqliteInventoryStorage,
  type InventoryStorage,
  type StockAlert,
} from '../../src/inventory/node.js';
import { createTestDatabase } from '../provision/db.js';

const cleanups: (() => void)[] = [];
afterAll(() => {
  for (const c of cleanups) c();
});

const storages: [string, () => Promise<InventoryStorage>][] = [
  ['memory', async () => createMemoryInventoryStorage()],
  [
    'sqlite',
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'kassa-inv-'));
      cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
      return createSqliteInventoryStorage({ database: join(dir, 'stock.db') });
    },
  ],
  [
    'postgres',
    async () => {
      const db = createTestDatabase('kassa_inv');
      const storage = await createPostgresInventoryStorage({ connection: db.url, max: 4 });
      cleanups.push(() => db.drop());
      return storage;
    },
  ],
];

describe.each(storages)('inventory on %s storage', (_name, make) => {
  it('derives levels from movements, idempotent by movement id', async () => {
    const inv = createInventory({ storage: await make() });
    await inv.record([{ id: 'r1', sku: 'dress', location: 'shop', quantity: '50', reason: 'receipt' }]);
    const sale = { id: 's1', sku: 'dress', location: 'shop', quantity: '-2', reason: 'sale' as const };
    const first = await inv.record([sale]);
    const again = await inv.record([sale]);
    expect(first.applied.map((m) => m.id)).toEqual(['s1']);
    expect(again.duplicates).toEqual(['s1']);
    expect((await inv.level('dress', 'shop')).onHand).toBe('48');
    await inv.close();
  });

  it('a count records the difference to the ledger, not the level', async () => {
    const inv = createInventory({ storage: await make() });
    await inv.record([{ id: 'r1', sku: 'tee', location: 'shop', quantity: '10', reason: 'receipt' }]);
    const m = await inv.count({ id: 'c1', sku: 'tee', location: 'shop', counted: '7' });
    expect(m?.quantity).toBe('-3');
    expect(m?.counted).toBe('7');
    // A sale recorded after the count lowers the counted level.
    await inv.record([{ id: 's1', sku: 'tee', location: 'shop', quantity: '-1', reason: 'sale' }]);
    expect((await inv.level('tee', 'shop')).onHand).toBe('6');
    await inv.close();
  });

  it('transfers, write-offs and returns restock exactly once per returned line', async () => {
    const inv = createInventory({ storage: await make() });
    await inv.record([{ id: 'r1', sku: 'cap', location: 'warehouse', quantity: '20', reason: 'receipt' }]);
    await inv.transfer({ id: 't1', sku: 'cap', from: 'warehouse', to: 'shop', quantity: '5' });
    await inv.transfer({ id: 't1', sku: 'cap', from: 'warehouse', to: 'shop', quantity: '5' });
    expect((await inv.level('cap', 'warehouse')).onHand).toBe('15');
    expect((await inv.level('cap', 'shop')).onHand).toBe('5');
    await inv.record([{ id: 's1', sku: 'cap', location: 'shop', quantity: '-3', reason: 'sale' }]);
    const ret = {
      returnId: 'ret-1',
      lines: [
        { lineId: 'l1', sku: 'cap', location: 'shop', quantity: '1', restock: true },
        { lineId: 'l2', sku: 'cap', location: 'shop', quantity: '1', restock: false },
      ],
    };
    await inv.returnLines(ret);
    await inv.returnLines(ret);
    expect((await inv.level('cap', 'shop')).onHand).toBe('3');
    const reasons = (await inv.levels({ sku: 'cap' })).length;
    expect(reasons).toBe(2);
    await inv.close();
  });

  it("negative: 'deny' refuses a sale beyond available stock and changes nothing", async () => {
    const inv = createInventory({ storage: await make(), policy: { negative: 'deny' } });
    await inv.record([{ id: 'r1', sku: 'bag', location: 'shop', quantity: '2', reason: 'receipt' }]);
    await expect(
      inv.record([
        { id: 's1', sku: 'bag', location: 'shop', quantity: '-1', reason: 'sale' },
        { id: 's2', sku: 'bag', location: 'shop', quantity: '-2', reason: 'sale' },
      ]),
    ).rejects.toMatchObject({ code: 'inventory.insufficient_stock' });
    expect((await inv.level('bag', 'shop')).onHand).toBe('2');
    // Offline sales (forced) are never lost: the level goes negative and an alert says so.
    const alerts: StockAlert[] = [];
    inv.alerts$.subscribe((a) => alerts.push(a));
    await inv.record([{ id: 's3', sku: 'bag', location: 'shop', quantity: '-3', reason: 'sale' }], {
      force: true,
    });
    expect((await inv.level('bag', 'shop')).onHand).toBe('-1');
    expect(alerts).toContainEqual({
      type: 'negative',
      sku: 'bag',
      location: 'shop',
      onHand: '-1',
      movements: ['s3'],
    });
    await inv.close();
  });

  it('rejects unknown fields and bad quantities without recording anything', async () => {
    const inv = createInventory({ storage: await make() });
    await expect(
      inv.record([
        { id: 'x', sku: 'a', location: 'shop', quantity: '1', reason: 'receipt', colour: 'red' } as never,
      ]),
    ).rejects.toMatchObject({ code: 'validation.unknown_field' });
    await expect(
      inv.record([{ id: 'x', sku: 'a', location: 'shop', quantity: '1.5e3', reason: 'receipt' }]),
    ).rejects.toMatchObject({
      code: 'validation.invalid_input',
    });
    expect(await inv.levels()).toEqual([]);
    await inv.close();
  });

  it('reservations: summed cart demand, expiry on the clock, release twice a no-op, commit to a sale', async () => {
    const clock = createManualClock();
    const inv = createInventory({ storage: await make(), clock, policy: { negative: 'allow' } });
    await inv.record([{ id: 'r1', sku: 'mug', location: 'shop', quantity: '3', reason: 'receipt' }]);
    // Two lines of 2 each: 4 together, more than the 3 in stock, although each line alone fits.
    await expect(
      inv.reserve({
        id: 'cart-1',
        lines: [
          { sku: 'mug', quantity: '2' },
          { sku: 'mug', quantity: '2' },
        ],
        ttlMs: 60_000,
      }),
    ).rejects.toMatchObject({ code: 'inventory.insufficient_stock' });
    const r = await inv.reserve({
      id: 'cart-2',
      lines: [
        { sku: 'mug', quantity: '1' },
        { sku: 'mug', quantity: '1' },
      ],
      ttlMs: 60_000,
    });
    expect(r.holds).toEqual([{ sku: 'mug', location: 'shop', quantity: '2' }]);
    expect(await inv.level('mug', 'shop')).toMatchObject({ onHand: '3', reserved: '2', available: '1' });
    await clock.advance(60_000);
    await new Promise((res) => setTimeout(res, 50));
    expect(await inv.level('mug', 'shop')).toMatchObject({ reserved: '0', available: '3' });
    expect(await inv.release('cart-2')).toBe(false);
    expect(await inv.release('cart-2')).toBe(false);
    expect((await inv.level('mug', 'shop')).reserved).toBe('0');
    await expect(inv.commit('cart-2')).rejects.toMatchObject({ code: 'inventory.unknown_reservation' });
    const r3 = await inv.reserve({ id: 'cart-3', lines: [{ sku: 'mug', quantity: '1' }], ttlMs: 60_000 });
    await inv.commit(r3.id);
    expect(await inv.release('cart-3')).toBe(false);
    expect(await inv.level('mug', 'shop')).toMatchObject({ onHand: '2', reserved: '0', available: '2' });
    await inv.close();
  });

  it('allocates only from stocking locations; a negative level never hides stock elsewhere', async () => {
    const inv = createInventory({ storage: await make(), stockedAt: { lamp: ['shop', 'warehouse'] } });
    await inv.record([
      { id: 'r1', sku: 'lamp', location: 'warehouse', quantity: '4', reason: 'receipt' },
      { id: 's1', sku: 'lamp', location: 'shop', quantity: '-2', reason: 'sale' },
      { id: 'r2', sku: 'lamp', location: 'outlet', quantity: '9', reason: 'receipt' },
    ]);
    expect(await inv.allocate('lamp', '3')).toEqual([{ sku: 'lamp', location: 'warehouse', quantity: '3' }]);
    await expect(inv.allocate('lamp', '5')).rejects.toMatchObject({ code: 'inventory.insufficient_stock' });
    await expect(inv.allocate('chair', '1')).rejects.toMatchObject({ code: 'inventory.not_stocked' });
    await inv.close();
  });

  it('low-stock alerts at the reorder point per location and a reorder suggestion', async () => {
    const clock = createManualClock();
    clock.set(Date.parse('2026-03-01T00:00:00Z'));
    const inv = createInventory({
      storage: await make(),
      clock,
      reorderPoints: [{ sku: 'tea', location: 'shop', point: '5' }],
    });
    const alerts = firstValueFrom(inv.alerts$.pipe(take(1), toArray()));
    await inv.record([
      {
        id: 'r1',
        sku: 'tea',
        location: 'shop',
        quantity: '40',
        reason: 'receipt',
        at: '2026-02-01T00:00:00.000Z',
      },
    ]);
    // 28 units over the last 28 days: 1 a day.
    for (let d = 0; d < 28; d++)
      await inv.record([
        {
          id: `s${d}`,
          sku: 'tea',
          location: 'shop',
          quantity: '-1',
          reason: 'sale',
          at: new Date(Date.parse('2026-02-01T12:00:00Z') + d * 86_400_000).toISOString(),
        },
      ]);
    await inv.record([{ id: 'w1', sku: 'tea', location: 'shop', quantity: '-8', reason: 'write-off' }]);
    expect(await alerts).toEqual([
      { type: 'low-stock', sku: 'tea', location: 'shop', available: '4', reorderPoint: '5' },
    ]);
    const s = await inv.suggestReorder({
      sku: 'tea',
      location: 'shop',
      leadTimeDays: 5,
      windowDays: 28,
      reviewDays: 7,
    });
    expect(s).toMatchObject({
      velocity: '1',
      available: '4',
      reorderPoint: '5',
      orderUpTo: '12',
      quantity: '8',
    });
    await inv.close();
  });
});
