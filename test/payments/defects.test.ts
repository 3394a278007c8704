import { appendFile, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Observable } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { priceCart } from '../../src/cart/index.js';
import { createManualClock } from '../../src/clock.js';
import {
  createCashProvider,
  createExternalProvider,
  createMemoryPaymentStore,
  createPaymentSession,
  createSimulatedTerminal,
  type PaymentEvent,
  type PaymentOutcome,
  type PaymentProvider,
  type PaymentRecord,
  type PaymentStore,
  paymentSessionFromCart,
  recoverPayments,
} from '../../src/payments/index.js';
import { openFilePaymentStore } from '../../src/payments/node.js';
import { runChild } from './process/spawn.js';
import { startTerminalServer } from './process/terminal.js';

/** Moves the manual clock until `p` settles, letting real I/O run in between. */
async function pump(clock: ReturnType<typeof createManualClock>, p: Promise<unknown>) {
  let done = false;
  p.then(
    () => {
      done = true;
    },
    () => {
      done = true;
    },
  );
  for (let i = 0; i < 200 && !done; i++) {
    await clock.advance(250);
    await new Promise((r) => setTimeout(r, 1));
  }
}

const tmp = async () => join(await mkdtemp(join(tmpdir(), 'kassa-def-')), 'payments.jsonl');

/** A store with nothing but `append` and `records`: what a custom store must at least do. */
function plainStore(): PaymentStore {
  const list: PaymentRecord[] = [];
  return {
    async append(r) {
      list.push(structuredClone(r));
    },
    async records(q) {
      return list
        .filter((r) => q?.saleId === undefined || r.saleId === q.saleId)
        .map((r) => structuredClone(r));
    },
  };
}

/** A terminal that answers `answer(requested)` after 1 s of the manual clock. */
function answering(
  id: string,
  answer: (amount: string) => PaymentOutcome,
  clock: ReturnType<typeof createManualClock>,
) {
  const requests: string[] = [];
  const provider: PaymentProvider & { requests: string[] } = {
    id,
    requests,
    capabilities: {
      method: 'card',
      partialApproval: true,
      tips: false,
      refunds: true,
      void: true,
      capture: false,
    },
    start(req) {
      requests.push(req.attemptId);
      return new Observable<PaymentEvent>((s) => {
        clock.setTimeout(() => {
          s.next({ type: 'outcome', outcome: answer(req.amount) });
          s.complete();
        }, 1000);
      });
    },
    async inquire() {
      return { status: 'not_found' };
    },
    async cancel() {
      return 'unknown';
    },
    async refund(r) {
      return { status: 'approved', amount: r.amount };
    },
    async void() {
      return { status: 'approved', amount: '0.00' };
    },
  };
  return provider;
}

describe('#10.1 one attempt in flight per terminal across sales sharing a store', () => {
  const stores: [string, () => Promise<PaymentStore>][] = [
    ['memory store', async () => createMemoryPaymentStore()],
    ['file store', async () => openFilePaymentStore(await tmp())],
    ['store with only append and records', async () => plainStore()],
  ];
  for (const [name, make] of stores) {
    it(`two sales on one terminal: one request, the other is terminal_busy (${name})`, async () => {
      const clock = createManualClock();
      const t = createSimulatedTerminal({ id: 't', clock });
      const store = await make();
      const a = await createPaymentSession({
        saleId: 'a',
        total: '10.00',
        currency: 'EUR',
        providers: [t],
        store,
        clock,
      });
      const b = await createPaymentSession({
        saleId: 'b',
        total: '12.00',
        currency: 'EUR',
        providers: [t],
        store,
        clock,
      });
      const pa = a.pay({ provider: 't', amount: '10.00' });
      const pb = b.pay({ provider: 't', amount: '12.00' });
      pa.catch(() => undefined);
      pb.catch(() => undefined);
      for (let i = 0; i < 20; i++) {
        await clock.advance(100);
        await new Promise((r) => setTimeout(r, 1));
      }
      const results = await Promise.allSettled([pa, pb]);
      expect(t.requests).toHaveLength(1);
      const codes = results
        .map((r) => (r.status === 'rejected' ? (r.reason as { code: string }).code : 'ok'))
        .sort();
      expect(codes).toEqual(['ok', 'payment.terminal_busy']);
    });
  }

  it('two processes sharing one file store: one request, the other is terminal_busy', async () => {
    const server = await startTerminalServer(400);
    try {
      const store = await tmp();
      const goFile = `${store}.go`;
      const plan = (saleId: string, total: string) => ({
        store,
        url: server.url,
        terminals: ['t1'],
        goFile,
        sales: [{ saleId, total, pays: [{ provider: 't1', amount: total }] }],
      });
      const [a, b] = await Promise.all([runChild(plan('pa', '10.00')), runChild(plan('pb', '12.00'))]);
      // Both processes have the store open and their sessions created before either pays.
      const ready = (c: typeof a) => c.lines.some((l) => 'ready' in l);
      while (!ready(a) || !ready(b)) await new Promise((r) => setTimeout(r, 5));
      await writeFile(goFile, 'go');
      expect(await a.exited).toBe(0);
      expect(await b.exited).toBe(0);
      expect(server.ledger.size).toBe(1);
      expect(server.maxInFlight()).toBe(1);
      const outcomes = [...a.lines, ...b.lines].filter((l) => 'paid' in l || 'error' in l);
      expect(outcomes.map((l) => ('paid' in l ? 'paid' : l.error)).sort()).toEqual([
        'paid',
        'payment.terminal_busy',
      ]);
    } finally {
      await server.close();
    }
  });
});

describe('#10.2 a provider that cannot be asked about the past never books a crash as failed', () => {
  for (const [method, make] of [
    ['cash', () => createCashProvider()],
    ['external', () => createExternalProvider()],
  ] as const) {
    it(`${method}: an attempt journaled before a crash needs attention after recovery`, async () => {
      const path = await tmp();
      const clock = createManualClock();
      let store = await openFilePaymentStore(path);
      const provider = make();
      expect(provider.capabilities.inquiry).toBe(false);
      await createPaymentSession({
        saleId: 's1',
        total: '20.00',
        currency: 'EUR',
        providers: [provider],
        store,
        clock,
      });
      await store.append({
        type: 'attempt',
        saleId: 's1',
        at: clock.now(),
        attemptId: 'pa_crash',
        provider: provider.id,
        method,
        amount: '20.00',
        currency: 'EUR',
        allowPartial: false,
        ...(method === 'cash'
          ? { tendered: '20.00', change: '0.00', rounding: '0.00' }
          : { entry: { authCode: 'X1' } }),
      });
      await store.close();
      store = await openFilePaymentStore(path);
      const rec = await recoverPayments({ store, providers: [make()], clock });
      expect(rec[0]?.tenders[0]).toMatchObject({ attemptId: 'pa_crash', status: 'needs_attention' });
      const s = await createPaymentSession({
        saleId: 's1',
        total: '20.00',
        currency: 'EUR',
        providers: [make()],
        store,
        clock,
      });
      expect(s.snapshot().busy).toEqual([provider.id]);
      await store.close();
    });
  }
  it('a card terminal that answers not found still books failed', async () => {
    expect(createSimulatedTerminal().capabilities.inquiry ?? true).toBe(true);
  });
});

describe('#10.3 outcomes are checked against their request', () => {
  it('an approval above the amount asked is a provider error that needs attention, never paid', async () => {
    const clock = createManualClock();
    const t = answering('t', () => ({ status: 'approved', amount: '60.00' }), clock);
    const session = await createPaymentSession({
      saleId: 's',
      total: '50.00',
      currency: 'EUR',
      providers: [t],
      clock,
    });
    const p = session.pay({ provider: 't', amount: '50.00' });
    await pump(clock, p);
    await expect(p).rejects.toMatchObject({ code: 'payment.provider_error' });
    expect(session.snapshot()).toMatchObject({ paid: '0.00', due: '50.00', busy: ['t'] });
    expect(session.snapshot().tenders[0]).toMatchObject({ status: 'needs_attention' });
    await expect(session.refund({ amount: '60.00' })).rejects.toMatchObject({
      code: 'payment.refund_exceeds_paid',
    });
  });
  it('a short approval is partial: voided when the sale takes no partial payments', async () => {
    const clock = createManualClock();
    const t = answering('t', () => ({ status: 'approved', amount: '30.00' }), clock);
    const session = await createPaymentSession({
      saleId: 's',
      total: '50.00',
      currency: 'EUR',
      providers: [t],
      clock,
      acceptPartial: false,
    });
    const p = session.pay({ provider: 't', amount: '50.00' });
    await pump(clock, p);
    await expect(p).rejects.toMatchObject({ code: 'payment.partial_voided' });
    expect(session.snapshot()).toMatchObject({ paid: '0.00', due: '50.00' });
    expect(session.snapshot().tenders[0]).toMatchObject({ status: 'partially_approved', void: 'voided' });
  });
  it('a short approval is kept as partial when partials are accepted', async () => {
    const clock = createManualClock();
    const t = answering('t', () => ({ status: 'approved', amount: '30.00' }), clock);
    const session = await createPaymentSession({
      saleId: 's',
      total: '50.00',
      currency: 'EUR',
      providers: [t],
      clock,
    });
    const p = session.pay({ provider: 't', amount: '50.00' });
    await pump(clock, p);
    await expect(p).resolves.toMatchObject({
      status: 'partially_approved',
      amount: '30.00',
      requested: '50.00',
    });
    expect(session.snapshot()).toMatchObject({ paid: '30.00', due: '20.00' });
  });
});

describe('#10.4 cash refunds round with the cash rule', () => {
  async function cashSale() {
    const session = await createPaymentSession({
      saleId: 's',
      total: '12.43',
      currency: 'EUR',
      providers: [createCashProvider()],
      cashRounding: { step: '0.05' },
    });
    await session.pay({ provider: 'cash', amount: '20.00' });
    expect(session.snapshot()).toMatchObject({ paid: '12.45', change: '7.55' });
    return session;
  }
  it('refunding the whole sale gives back what was taken, and nothing more can be refunded', async () => {
    const session = await cashSale();
    const r = await session.refund({ amount: '12.43' });
    expect(r.amount).toBe('12.45');
    expect(r.parts.map((p) => p.amount)).toEqual(['12.45']);
    await expect(session.refund({ amount: '0.02' })).rejects.toMatchObject({
      code: 'payment.refund_exceeds_paid',
    });
    expect(session.snapshot().refunded).toBe('12.45');
  });
  it('a part refund pays out coins that exist', async () => {
    const session = await cashSale();
    expect((await session.refund({ amount: '5.03' })).amount).toBe('5.05');
    expect((await session.refund({ amount: '7.40' })).amount).toBe('7.40');
    await expect(session.refund({ amount: '0.01' })).rejects.toMatchObject({
      code: 'payment.refund_exceeds_paid',
    });
  });
});

describe('#10.5 and #10.6 the file store reports repairs and tolerates blank lines', () => {
  const session = (saleId: string): PaymentRecord => ({
    type: 'session',
    saleId,
    at: 1,
    total: '1.00',
    currency: 'EUR',
    acceptPartial: true,
  });
  it('a torn last record is dropped and reported with the bytes dropped and the last good record', async () => {
    const path = await tmp();
    const good = `${JSON.stringify(session('s1'))}\n`;
    const torn = JSON.stringify(session('s2')).slice(0, 30);
    await writeFile(path, good + torn);
    const store = await openFilePaymentStore(path);
    expect(store.repaired).toEqual({
      bytesDropped: Buffer.byteLength(torn),
      lastGood: { line: 1, record: session('s1') },
      found: 'open',
    });
    expect(await readFile(path, 'utf8')).toBe(good);
    await store.close();
    const again = await openFilePaymentStore(path);
    expect(again.repaired).toBeUndefined();
    await again.close();
  });
  it('blank lines from an outside edit are skipped and never glue records together', async () => {
    const path = await tmp();
    await writeFile(path, `\n${JSON.stringify(session('s1'))}\n\n   \n${JSON.stringify(session('s2'))}\n\n`);
    let store = await openFilePaymentStore(path);
    await store.append(session('s3'));
    await store.close();
    await appendFile(path, '\n\n');
    store = await openFilePaymentStore(path);
    await store.append(session('s4'));
    await store.close();
    store = await openFilePaymentStore(path);
    expect((await store.records()).map((r) => r.saleId)).toEqual(['s1', 's2', 's3', 's4']);
    expect(store.repaired).toBeUndefined();
    await store.close();
  });
});

describe('#10.7 unknown keys are rejected in every payments input', () => {
  const base = {
    saleId: 's',
    total: '10.00',
    currency: 'EUR',
    providers: [createCashProvider(), createSimulatedTerminal({ id: 't' })],
  };
  it('pay, refund, resolve, session options, recovery options and provider options', async () => {
    const session = await createPaymentSession(base);
    const before = session.snapshot();
    await expect(
      session.pay({ provider: 'cash', amount: '6.00', tips: '6.00' } as never),
    ).rejects.toMatchObject({
      code: 'validation.unknown_field',
      details: { path: ['tips'] },
    });
    await expect(
      session.pay({ provider: 't', amount: '6.00', entry: { authCode: 'A1', last5: '1234' } } as never),
    ).rejects.toMatchObject({ code: 'validation.unknown_field', details: { path: ['entry', 'last5'] } });
    expect(session.snapshot()).toEqual(before);
    await session.pay({ provider: 'cash', amount: '10.00' });
    await expect(session.refund({ amount: '1.00', reasn: 'x' } as never)).rejects.toMatchObject({
      code: 'validation.unknown_field',
    });
    await expect(
      session.resolve('pa_x', { resolution: 'not_charged', by: 'a', note: 'b', amount: '1.00' } as never),
    ).rejects.toMatchObject({ code: 'validation.unknown_field' });
    await expect(
      createPaymentSession({ ...base, saleId: 's2', cashRoundng: { step: '0.05' } } as never),
    ).rejects.toMatchObject({
      code: 'validation.unknown_field',
      details: { path: ['cashRoundng'] },
    });
    await expect(
      createPaymentSession({ ...base, saleId: 's3', cashRounding: { step: '0.05', mod: 'up' } } as never),
    ).rejects.toMatchObject({ code: 'validation.unknown_field' });
    await expect(
      recoverPayments({
        store: createMemoryPaymentStore(),
        providers: [],
        clok: createManualClock(),
      } as never),
    ).rejects.toMatchObject({ code: 'validation.unknown_field' });
    expect(() => createCashProvider({ idd: 'x' } as never)).toThrow(
      expect.objectContaining({ code: 'validation.unknown_field' }),
    );
    expect(() => createSimulatedTerminal({ scrpit: [] } as never)).toThrow(
      expect.objectContaining({ code: 'validation.unknown_field' }),
    );
  });
});

describe('#10.3 subscribe has one meaning across kassa', () => {
  it('subscribe does not replay the current state (like the cart store); state$ does', async () => {
    const session = await createPaymentSession({
      saleId: 's',
      total: '5.00',
      currency: 'EUR',
      providers: [createCashProvider()],
    });
    const seen: string[] = [];
    const replayed: string[] = [];
    session.subscribe((s) => seen.push(s.due));
    session.state$.subscribe((s) => replayed.push(s.due)).unsubscribe();
    expect(seen).toEqual([]);
    expect(replayed).toEqual(['5.00']);
    await session.pay({ provider: 'cash', amount: '5.00' });
    expect(seen.at(-1)).toBe('0.00');
  });
});

describe('#10 §2 one source for the amount due', () => {
  it('a cart whose cash total is 1.00 is settled by 1.00 in cash', async () => {
    const priced = priceCart(
      { currency: 'EUR', lines: [{ id: 'l1', sku: 'x', unitPrice: '0.98', quantity: 1 }] },
      { rounding: { cash: { step: '0.05' } } },
    );
    expect(priced.totals).toMatchObject({
      total: '0.98',
      cashTotal: '1.00',
      cashRule: { step: '0.05', mode: 'half-up' },
    });
    const session = await paymentSessionFromCart(priced, { saleId: 's', providers: [createCashProvider()] });
    await session.pay({ provider: 'cash', amount: priced.totals.cashTotal });
    expect(session.snapshot()).toMatchObject({
      total: '0.98',
      due: '0.00',
      paid: '1.00',
      rounding: '0.02',
      status: 'paid',
    });
  });
  it('the cart decides the total, currency and cash rule: passing one is an unknown field', async () => {
    const priced = priceCart(
      { currency: 'EUR', lines: [{ id: 'l1', sku: 'x', unitPrice: '2.00', quantity: 1 }] },
      {},
    );
    await expect(
      paymentSessionFromCart(priced, { saleId: 's', providers: [], total: '1.00' } as never),
    ).rejects.toMatchObject({ code: 'validation.unknown_field', details: { path: ['total'] } });
    const s = await paymentSessionFromCart(priced, { saleId: 's', providers: [] });
    expect(s.snapshot()).toMatchObject({ total: '2.00', currency: 'EUR' });
  });
});
