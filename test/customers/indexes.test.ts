import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createManualClock } from '../../src/clock.js';
import {
  type Customer,
  createMemoryCustomerStore,
  createMemoryLoyaltyLedger,
  type LoyaltyEntry,
} from '../../src/customers/index.js';
import { isKassaError } from '../../src/errors.js';
import { Decimal } from '../../src/money/decimal.js';

// The memory store and ledger answer from indexes (issue 18); these properties hold them to a
// plain linear scan over the same history, through puts that replace records, removals and
// reversed sales, so an index left stale by an update shows up as a difference.

const ids = ['c1', 'c2', 'c3', 'c4', 'c5'];
const emails = ['a@x.org', 'A@X.org', 'b@x.org', 'c@y.org'];
const phones = ['+31 20 123 4567', '+31201234567', '020-1234567', '(020) 765 4321'];
const groups = ['staff', 'wholesale', 'vip'];

const customerArb = fc.record(
  {
    id: fc.constantFrom(...ids),
    name: fc.constant('Someone'),
    email: fc.constantFrom(...emails),
    phone: fc.constantFrom(...phones),
    groups: fc.subarray(groups),
  },
  { requiredKeys: ['id', 'name', 'groups'] },
);
const storeOp = fc.oneof(
  customerArb.map((c) => ({ op: 'put' as const, c: c as Customer })),
  fc.constantFrom(...ids).map((id) => ({ op: 'remove' as const, id })),
);
const queryArb = fc.record(
  {
    email: fc.constantFrom(...emails, 'none@x.org'),
    phone: fc.constantFrom(...phones, '999'),
    group: fc.constantFrom(...groups, 'nobody'),
  },
  { requiredKeys: [] },
);

const digits = (p: string) => p.replace(/[^0-9+]/g, '');
function scan(records: Map<string, Customer>, q: { email?: string; phone?: string; group?: string }) {
  return [...records.values()]
    .filter(
      (c) =>
        (q.email === undefined || c.email?.toLowerCase() === q.email.toLowerCase()) &&
        (q.phone === undefined || (c.phone !== undefined && digits(c.phone) === digits(q.phone))) &&
        (q.group === undefined || c.groups.includes(q.group)),
    )
    .sort((a, b) => (a.id < b.id ? -1 : 1));
}

describe('customer store indexes', () => {
  it('find by email, phone and group agrees with a linear scan after any puts and removals', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(customerArb, { maxLength: 4 }),
        fc.array(storeOp, { maxLength: 25 }),
        fc.array(queryArb, { minLength: 1, maxLength: 6 }),
        async (initial, ops, queries) => {
          const store = createMemoryCustomerStore(initial as Customer[]);
          const oracle = new Map<string, Customer>();
          for (const c of initial) oracle.set(c.id, structuredClone(c) as Customer);
          for (const o of ops) {
            if (o.op === 'put') {
              await store.put(o.c);
              oracle.set(o.c.id, structuredClone(o.c));
            } else expect(await store.remove(o.id)).toBe(oracle.delete(o.id));
            for (const q of queries) expect(await store.find(q)).toEqual(scan(oracle, q));
          }
        },
      ),
      { numRuns: 150 },
    );
  });

  it('a replaced record is no longer found under its old email, phone or group', async () => {
    const store = createMemoryCustomerStore([
      { id: 'c1', name: 'A', email: 'old@x.org', phone: '+31 6 1111 1111', groups: ['staff'] },
    ]);
    await store.put({ id: 'c1', name: 'A', email: 'new@x.org', groups: ['vip'] });
    expect(await store.find({ email: 'old@x.org' })).toEqual([]);
    expect(await store.find({ phone: '+31611111111' })).toEqual([]);
    expect(await store.find({ group: 'staff' })).toEqual([]);
    expect((await store.find({ email: 'NEW@x.org' })).map((c) => c.id)).toEqual(['c1']);
    expect((await store.find({ group: 'vip' })).map((c) => c.id)).toEqual(['c1']);
    expect(await store.remove('c1')).toBe(true);
    expect(await store.find({ group: 'vip' })).toEqual([]);
    expect(await store.remove('c1')).toBe(false);
  });

  it('a rejected put leaves the indexes as they were', async () => {
    const store = createMemoryCustomerStore([{ id: 'c1', name: 'A', email: 'a@x.org', groups: ['staff'] }]);
    await expect(store.put({ id: 'c1', name: '', email: 'b@x.org', groups: [] })).rejects.toSatisfy(
      isKassaError,
    );
    expect((await store.find({ email: 'a@x.org' })).map((c) => c.id)).toEqual(['c1']);
    expect(await store.find({ email: 'b@x.org' })).toEqual([]);
  });
});

const saleIds = ['s1', 's2', 's3', 's4', 's5', 's6'];
const ledgerOp = fc.oneof(
  fc.record({
    op: fc.constantFrom('earn' as const, 'redeem' as const, 'credit' as const),
    customerId: fc.constantFrom('c1', 'c2', 'c3'),
    saleId: fc.constantFrom(...saleIds),
    points: fc.oneof(fc.integer({ min: -20, max: 60 }), fc.constantFrom('0.5', '12.25', '3')),
  }),
  fc.record({ op: fc.constant('reverse' as const), saleId: fc.constantFrom(...saleIds) }),
);

describe('loyalty ledger indexes', () => {
  it('balance, entries and redeem agree with a scan of the whole ledger after any movements and reversals', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(ledgerOp, { maxLength: 40 }), async (ops) => {
        const ledger = createMemoryLoyaltyLedger({ clock: createManualClock(0) });
        const model = new Map<string, LoyaltyEntry>();
        const balanceOf = (id: string) => {
          let points = new Decimal(0);
          let lifetime = new Decimal(0);
          for (const e of model.values()) {
            if (e.customerId !== id) continue;
            if (e.kind === 'earn') {
              points = points.plus(e.points);
              lifetime = lifetime.plus(e.points);
            } else if (e.kind === 'credit') points = points.plus(e.points);
            else points = points.minus(e.points);
          }
          return { customerId: id, points: points.toFixed(), lifetimePoints: lifetime.toFixed() };
        };
        for (const o of ops) {
          if (o.op === 'reverse') {
            const removed = await ledger.reverse(o.saleId);
            const expected = (['earn', 'redeem', 'credit'] as const)
              .map((k) => model.get(`${k}:${o.saleId}`))
              .filter((e) => e !== undefined);
            for (const k of ['earn', 'redeem', 'credit']) model.delete(`${k}:${o.saleId}`);
            expect(removed).toEqual(expected);
          } else {
            const key = `${o.op}:${o.saleId}`;
            const points = new Decimal(o.points);
            const existing = model.get(key);
            let expectedCode: string | undefined;
            if (o.op === 'redeem' && points.lte(0)) expectedCode = 'loyalty.invalid_entry';
            else if (existing !== undefined) {
              if (existing.customerId !== o.customerId || !points.eq(existing.points))
                expectedCode = 'loyalty.conflict';
            } else if (o.op === 'redeem' && new Decimal(balanceOf(o.customerId).points).lt(points))
              expectedCode = 'loyalty.insufficient_points';
            const { op, ...movement } = o;
            const result = await ledger[op](movement).then(
              (e) => e,
              (e: unknown) => e,
            );
            if (expectedCode !== undefined) {
              expect(isKassaError(result) && result.code).toBe(expectedCode);
            } else {
              const entry = result as LoyaltyEntry;
              if (existing === undefined) model.set(key, entry);
              expect(entry).toEqual(model.get(key));
            }
          }
          for (const id of ['c1', 'c2', 'c3']) {
            expect(await ledger.balance(id)).toEqual(balanceOf(id));
            expect(await ledger.entries(id)).toEqual([...model.values()].filter((e) => e.customerId === id));
          }
        }
      }),
      { numRuns: 150 },
    );
  });
});
