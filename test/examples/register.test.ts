import { describe, expect, it } from 'vitest';
import { playDay } from '../../examples/register/day.js';

describe('the register example: a scripted day on createCheckout', () => {
  it('plays the day and leaves a verified journal whose cash adds up', async () => {
    const day = await playDay();
    expect(day.receipts.map((r) => r.number)).toEqual(['till-1-000001', 'till-1-000002', 'till-1-000003']);
    expect(day.printerBytes).toBeGreaterThan(1000);
    const entries = await day.journal.read();
    const types = entries.map((e) => e.type);
    for (const type of [
      'shift.opened',
      'sale.tendering',
      'sale.completed',
      'sale.parked',
      'sale.recalled',
      'return.completed',
      'cash.out',
      'drawer.opened',
      'shift.closed',
    ]) {
      expect(types, type).toContain(type);
    }
    expect((await day.journal.verify()).ok).toBe(true);
    // expected = float + cash kept by sales + cash refunds (negative) - cash out, from the entries.
    let cash = 150;
    for (const e of entries) {
      if (e.type === 'sale.completed' || e.type === 'return.completed') {
        for (const t of e.data.tenders) if (t.type === 'cash') cash += Number(t.amount);
      }
      if (e.type === 'cash.out') cash -= Number(e.data.amount);
    }
    expect(day.close.expected).toBe(cash.toFixed(2));
    expect(day.close.difference).toBe('-0.20');
  });
});
