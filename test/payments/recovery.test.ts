import { appendFile, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createManualClock } from '../../src/clock.js';
import { createPaymentSession, createSimulatedTerminal, recoverPayments } from '../../src/payments/index.js';
import { openFilePaymentStore } from '../../src/payments/node.js';

const tmp = async () => join(await mkdtemp(join(tmpdir(), 'kassa-rec-')), 'payments.jsonl');

describe('recoverPayments', () => {
  it('ends a crash between journaling and sending as failed, and a retry is allowed', async () => {
    const path = await tmp();
    const clock = createManualClock();
    const terminal = createSimulatedTerminal({ id: 'terminal', clock });
    let store = await openFilePaymentStore(path);
    await createPaymentSession({
      saleId: 's1',
      total: '9.99',
      currency: 'EUR',
      providers: [terminal],
      store,
      clock,
    });
    // What a crash leaves behind: the attempt on disk, no request ever sent.
    await store.append({
      type: 'attempt',
      saleId: 's1',
      at: clock.now(),
      attemptId: 'pa_crashed',
      provider: 'terminal',
      method: 'card',
      amount: '9.99',
      currency: 'EUR',
      allowPartial: true,
    });
    await store.close();

    store = await openFilePaymentStore(path);
    const blocked = await createPaymentSession({
      saleId: 's1',
      total: '9.99',
      currency: 'EUR',
      providers: [terminal],
      store,
      clock,
    });
    expect(blocked.snapshot().busy).toEqual(['terminal']);
    await expect(blocked.pay({ provider: 'terminal', amount: '9.99' })).rejects.toMatchObject({
      code: 'payment.terminal_busy',
    });
    blocked.dispose();

    const recovered = await recoverPayments({ store, providers: [terminal], clock });
    expect(recovered).toEqual([
      { saleId: 's1', tenders: [expect.objectContaining({ attemptId: 'pa_crashed', status: 'failed' })] },
    ]);
    expect(terminal.requests).toHaveLength(0);

    const session = await createPaymentSession({
      saleId: 's1',
      total: '9.99',
      currency: 'EUR',
      providers: [terminal],
      store,
      clock,
    });
    const p = session.pay({ provider: 'terminal', amount: '9.99' });
    await clock.advance(1000);
    await expect(p).resolves.toMatchObject({ status: 'approved' });
    expect(terminal.charged()).toHaveLength(1);
    await store.close();
  });

  it('blocks the terminal for other sales while an attempt is unresolved', async () => {
    const path = await tmp();
    const clock = createManualClock();
    const terminal = createSimulatedTerminal({ id: 'terminal', clock, script: [{ do: 'timeout' }] });
    const store = await openFilePaymentStore(path);
    const a = await createPaymentSession({
      saleId: 'a',
      total: '5.00',
      currency: 'EUR',
      providers: [terminal],
      store,
      clock,
    });
    const p = a.pay({ provider: 'terminal', amount: '5.00' });
    p.catch(() => undefined);
    await clock.advance(1000);
    const b = await createPaymentSession({
      saleId: 'b',
      total: '5.00',
      currency: 'EUR',
      providers: [terminal],
      store,
      clock,
    });
    await expect(b.pay({ provider: 'terminal', amount: '5.00' })).rejects.toMatchObject({
      code: 'payment.terminal_busy',
    });
    a.dispose();
    await store.close();
  });
});

describe('file payment store', () => {
  it('survives a torn last line and refuses a corrupt middle line', async () => {
    const path = await tmp();
    const store = await openFilePaymentStore(path);
    await store.append({
      type: 'session',
      saleId: 's',
      at: 1,
      total: '1.00',
      currency: 'EUR',
      acceptPartial: true,
    });
    await store.close();
    await appendFile(path, '{"type":"attempt","saleId":"s","at":2,"attem');
    const reopened = await openFilePaymentStore(path);
    expect(await reopened.records()).toHaveLength(1);
    await reopened.append({ type: 'complete', saleId: 's', at: 3 });
    await reopened.close();
    const lines = (await readFile(path, 'utf8')).trim().split('\n');
    expect(lines.map((l) => JSON.parse(l).type)).toEqual(['session', 'complete']);

    await writeFile(path, `not json\n${lines.join('\n')}\n`);
    await expect(openFilePaymentStore(path)).rejects.toMatchObject({ code: 'payment.store_corrupt' });
  });
});
