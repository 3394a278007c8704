import { describe, expect, it } from 'vitest';
import { createManualClock } from '../../src/clock.js';
import {
  attachCustomer,
  type Customer,
  createMemoryCustomerStore,
  createMemoryLoyaltyLedger,
  detachCustomer,
  isTaxExempt,
  parseCustomer,
  redactCustomer,
  requireCustomer,
  toCartCustomer,
} from '../../src/customers/index.js';
import { isKassaError } from '../../src/errors.js';

const PII = { name: 'Ada Lovelace', email: 'ada@example.org', phone: '+44 20 7946 0958' };
const ada: Customer = {
  id: 'c-ada',
  ...PII,
  groups: ['staff'],
  taxExemption: { certificate: 'EX-2026-0042', validUntil: '2027-01-01T00:00:00Z' },
};

function expectNoPii(value: unknown) {
  const text = JSON.stringify(value) + String(value);
  for (const secret of [...Object.values(PII), 'Lovelace', 'ada@', '7946'])
    expect(text).not.toContain(secret);
}

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error('expected a throw');
}

async function rejected(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error('expected a rejection');
}

describe('customer records', () => {
  it('validates and defaults groups', () => {
    expect(parseCustomer({ id: 'c1', name: 'X' })).toEqual({ id: 'c1', name: 'X', groups: [] });
  });

  it('rejects bad records with customer.invalid and a path, never echoing personal data', () => {
    const cases: [unknown, (string | number)[]][] = [
      [{ ...ada, email: 'Ada Lovelace <not-an-email 7946>' }, ['email']],
      [{ ...ada, phone: 'call Ada Lovelace' }, ['phone']],
      [{ ...ada, name: '' }, ['name']],
      [{ ...ada, taxExemption: { certificate: '' } }, ['taxExemption', 'certificate']],
      [{ ...ada, nickname: 'Ada Lovelace' }, ['nickname']],
    ];
    for (const [input, path] of cases) {
      const e = thrown(() => parseCustomer(input));
      // A misspelt or unknown field has one code across kassa (issue #19).
      expect(isKassaError(e) && e.code).toBe(
        path[0] === 'nickname' ? 'validation.unknown_field' : 'customer.invalid',
      );
      if (isKassaError(e) && path.length > 0) expect(e.details.path).toEqual(path);
      expectNoPii(e);
      expectNoPii(isKassaError(e) ? e.toJSON() : e);
      expectNoPii(isKassaError(e) ? e.stack : e);
    }
  });

  it('the cart sees the id, groups and exemption only', () => {
    const ref = toCartCustomer(ada, { at: '2026-11-27T12:00:00Z' });
    expect(ref).toEqual({ id: 'c-ada', groups: ['staff'], taxExempt: true });
    expectNoPii(ref);
  });

  it('tax exemption ends at validUntil, and is not trusted without a time', () => {
    expect(isTaxExempt(ada, '2026-12-31T23:59:59Z')).toBe(true);
    expect(isTaxExempt(ada, '2027-01-01T00:00:00Z')).toBe(false);
    expect(isTaxExempt(ada)).toBe(false);
    expect(isTaxExempt({ taxExemption: { certificate: 'X' } })).toBe(true);
    expect(isTaxExempt({})).toBe(false);
  });

  it('attach and detach call the cart', () => {
    const calls: unknown[] = [];
    const cart = { setCustomer: (c: unknown) => calls.push(c) };
    attachCustomer(cart, ada, { at: '2026-11-27T12:00:00Z' });
    detachCustomer(cart);
    expect(calls).toEqual([{ id: 'c-ada', groups: ['staff'], taxExempt: true }, undefined]);
  });

  it('redactCustomer keeps what is safe to log', () => {
    const r = redactCustomer(ada);
    expectNoPii(r);
    expect(r).toMatchObject({
      id: 'c-ada',
      groups: ['staff'],
      taxExemption: { certificate: 'EX-2026-0042' },
    });
  });
});

describe('customer store (in-memory)', () => {
  it('stores copies, finds by email and phone, removes', async () => {
    const store = createMemoryCustomerStore([ada]);
    const got = await store.get('c-ada');
    expect(got).toEqual(ada);
    got!.groups.push('hacked');
    expect((await store.get('c-ada'))?.groups).toEqual(['staff']);
    expect((await store.find({ email: 'ADA@example.org' })).map((c) => c.id)).toEqual(['c-ada']);
    expect((await store.find({ phone: '+442079460958' })).map((c) => c.id)).toEqual(['c-ada']);
    expect((await store.find({ group: 'wholesale' })).map((c) => c.id)).toEqual([]);
    await store.put({ id: 'c2', name: 'Bob', groups: ['wholesale'] });
    expect((await store.find({ group: 'wholesale' })).map((c) => c.id)).toEqual(['c2']);
    expect(await store.remove('c2')).toBe(true);
    expect(await store.remove('c2')).toBe(false);
  });

  it('a rejected put changes nothing; not found names the id only', async () => {
    const store = createMemoryCustomerStore([ada]);
    const e = await rejected(store.put({ ...ada, email: 'nope' }));
    expect(isKassaError(e) && e.code).toBe('customer.invalid');
    expect(await store.get('c-ada')).toEqual(ada);
    const nf = await rejected(requireCustomer(store, 'c-missing'));
    expect(isKassaError(nf) && nf.code).toBe('customer.not_found');
    expectNoPii(nf);
  });
});

describe('loyalty ledger (in-memory)', () => {
  it('earn and redeem are idempotent by sale id', async () => {
    const clock = createManualClock();
    clock.set(Date.parse('2026-11-27T12:00:00Z'));
    const ledger = createMemoryLoyaltyLedger({ clock });
    const first = await ledger.earn({ customerId: 'c1', saleId: 's1', points: 120 });
    const retry = await ledger.earn({ customerId: 'c1', saleId: 's1', points: '120' });
    expect(retry).toEqual(first);
    expect(first.at).toBe('2026-11-27T12:00:00.000Z');
    expect(await ledger.balance('c1')).toEqual({ customerId: 'c1', points: '120', lifetimePoints: '120' });
    await ledger.redeem({ customerId: 'c1', saleId: 's2', points: 100 });
    await ledger.redeem({ customerId: 'c1', saleId: 's2', points: 100 });
    expect(await ledger.balance('c1')).toEqual({ customerId: 'c1', points: '20', lifetimePoints: '120' });
  });

  it('concurrent retries of the same sale earn once', async () => {
    const ledger = createMemoryLoyaltyLedger();
    await Promise.all(
      Array.from({ length: 10 }, () => ledger.earn({ customerId: 'c1', saleId: 's1', points: 50 })),
    );
    expect((await ledger.balance('c1')).points).toBe('50');
    expect(await ledger.entries('c1')).toHaveLength(1);
  });

  it('conflicts, insufficient points, bad input', async () => {
    const ledger = createMemoryLoyaltyLedger();
    await ledger.earn({ customerId: 'c1', saleId: 's1', points: 50 });
    const conflict = await rejected(ledger.earn({ customerId: 'c1', saleId: 's1', points: 60 }));
    expect(isKassaError(conflict) && conflict.code).toBe('loyalty.conflict');
    const short = await rejected(ledger.redeem({ customerId: 'c1', saleId: 's2', points: 51 }));
    expect(isKassaError(short) && short.code).toBe('loyalty.insufficient_points');
    const bad = await rejected(ledger.earn({ customerId: '', saleId: 's3', points: 1.5 }));
    expect(isKassaError(bad) && bad.code).toBe('loyalty.invalid_entry');
    expect((await ledger.balance('c1')).points).toBe('50');
  });

  it('a return earns negative points; reverse undoes a voided sale', async () => {
    const ledger = createMemoryLoyaltyLedger();
    await ledger.earn({ customerId: 'c1', saleId: 's1', points: 50 });
    await ledger.earn({ customerId: 'c1', saleId: 'r1', points: -20 });
    expect(await ledger.balance('c1')).toMatchObject({ points: '30', lifetimePoints: '30' });
    expect((await ledger.reverse('r1')).map((e) => e.points)).toEqual(['-20']);
    expect(await ledger.reverse('r1')).toEqual([]);
    expect((await ledger.balance('c1')).points).toBe('50');
  });
});
