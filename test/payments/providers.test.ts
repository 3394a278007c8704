import { describe, expect, it } from 'vitest';
import { createManualClock } from '../../src/clock.js';
import {
  createCashProvider,
  createExternalProvider,
  createSimulatedTerminal,
  type SimulatedStep,
  suggestCashAmounts,
} from '../../src/payments/index.js';
import { describeProviderConformance } from './conformance.js';

describeProviderConformance('simulated', () => {
  const clock = createManualClock();
  const terminal = createSimulatedTerminal({ clock, stepMs: 500 });
  const steps: Record<string, SimulatedStep> = {
    approve: { do: 'approve' },
    decline: { do: 'decline', code: '51' },
    partial: { do: 'partial', amount: '30.00' },
    lost: { do: 'not_found' },
  };
  return {
    provider: terminal,
    currency: 'EUR',
    arrange: (next) => {
      terminal.enqueue(steps[next]!);
      return true;
    },
    settle: () => clock.advance(10_000),
    charged: () => terminal.charged(),
  };
});

describeProviderConformance('cash', () => ({
  provider: createCashProvider(),
  currency: 'EUR',
  arrange: (next) => next === 'approve',
  settle: async () => undefined,
}));

describeProviderConformance('external', () => ({
  provider: createExternalProvider(),
  currency: 'EUR',
  arrange: (next) => next === 'approve',
  settle: async () => undefined,
}));

describe('simulated terminal', () => {
  it('reports progress with the masked card only', async () => {
    const clock = createManualClock();
    const t = createSimulatedTerminal({
      clock,
      card: { brand: 'mastercard', last4: '0005', entryMode: 'contactless' },
    });
    const seen: string[] = [];
    const done = new Promise<void>((resolve) =>
      t
        .start(
          { attemptId: 'a1', saleId: 's', amount: '3.00', currency: 'EUR', allowPartial: false },
          new AbortController().signal,
        )
        .subscribe({
          next: (e) => seen.push(e.type === 'progress' ? e.stage : e.outcome.status),
          complete: resolve,
        }),
    );
    await clock.advance(1000);
    await done;
    expect(seen).toEqual(['waiting_for_card', 'card_read', 'processing', 'approved']);
  });

  it('picks steps by amount before the script', async () => {
    const clock = createManualClock();
    const t = createSimulatedTerminal({ clock, byAmount: { '13.00': { do: 'decline', code: '05' } } });
    const outcome = (amount: string, id: string) =>
      new Promise((resolve) =>
        t
          .start(
            { attemptId: id, saleId: 's', amount, currency: 'EUR', allowPartial: false },
            new AbortController().signal,
          )
          .subscribe((e) => {
            if (e.type === 'outcome') resolve(e.outcome.status);
          }),
      );
    const a = outcome('13.00', 'x1');
    const b = outcome('14.00', 'x2');
    await clock.advance(1000);
    expect([await a, await b]).toEqual(['declined', 'approved']);
  });
});

describe('suggestCashAmounts', () => {
  it('suggests the exact amount and the next round notes', () => {
    expect(suggestCashAmounts('12.40', 'EUR')).toEqual(['12.40', '15.00', '20.00', '50.00']);
    expect(suggestCashAmounts('1250', 'JPY', ['1000', '5000', '10000'])).toEqual([
      '1250',
      '2000',
      '5000',
      '10000',
    ]);
  });
});
