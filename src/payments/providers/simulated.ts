import { Observable, type Subscriber } from 'rxjs';
import { type Clock, systemClock } from '../../clock.js';
import { checkOptions, KassaError } from '../../errors.js';
import type {
  CancelResult,
  CardDetails,
  PaymentEvent,
  PaymentOutcome,
  PaymentProvider,
  PaymentRequest,
} from '../types.js';
import { createLedger } from './ledger.js';

/**
 * One scripted behaviour of the simulated terminal.
 * - `approve`, `decline` (with a `code`), `partial` (approving `amount`): answered after `delayMs`.
 * - `slow`: approves after `delayMs` (long enough to hit the session's timeout if wanted).
 * - `timeout`: takes the request and never answers; inquiries say "in progress" for ever.
 * - `approve_after_timeout`: approves at once but the answer never reaches the till;
 *   an inquiry finds it approved.
 * - `not_found`: the request is lost on the way; an inquiry says "not found".
 * - `disconnect`: reports the first progress, then the connection drops; the payment
 *   itself ends as `then` (default `approve`).
 * - `fail`: the request is refused before it is sent (`payment.not_sent`).
 * `onCancel` says what a cancel during the attempt answers (default `canceled`).
 */
export type SimulatedStep =
  | { readonly do: 'approve'; readonly delayMs?: number; readonly onCancel?: CancelResult }
  | {
      readonly do: 'decline';
      readonly code: string;
      readonly delayMs?: number;
      readonly onCancel?: CancelResult;
    }
  | {
      readonly do: 'partial';
      readonly amount: string;
      readonly delayMs?: number;
      readonly onCancel?: CancelResult;
    }
  | { readonly do: 'slow'; readonly delayMs: number; readonly onCancel?: CancelResult }
  | { readonly do: 'timeout'; readonly onCancel?: CancelResult }
  | { readonly do: 'approve_after_timeout' }
  | { readonly do: 'not_found' }
  | { readonly do: 'disconnect'; readonly then?: 'approve' | 'decline' | 'not_found' }
  | { readonly do: 'fail' };

/** Options of {@link createSimulatedTerminal}. */
export interface SimulatedTerminalOptions {
  readonly id?: string;
  /** Drives every delay; pass a manual clock in tests. */
  readonly clock?: Clock;
  /** Steps used in order, one per new attempt. */
  readonly script?: readonly SimulatedStep[];
  /** Steps chosen by the requested amount (`'13.00'`), before the script. */
  readonly byAmount?: Readonly<Record<string, SimulatedStep>>;
  /** When the script is empty; default `{ do: 'approve' }`. */
  readonly fallback?: SimulatedStep;
  /** The masked card the terminal reads; default Visa ending 4242, chip. */
  readonly card?: CardDetails;
  /** Milliseconds between progress events; default 0. */
  readonly stepMs?: number;
}

/** A request the simulated terminal received. */
export interface SimulatedRequest {
  readonly attemptId: string;
  readonly amount: string;
  readonly tip?: string;
  /** True when the attempt id was already known: an idempotent resend. */
  readonly replay: boolean;
  readonly at: number;
}

/** The simulated terminal, with what it saw for tests and demos. */
export interface SimulatedTerminal extends PaymentProvider {
  /** Every `start` received, in order. */
  readonly requests: readonly SimulatedRequest[];
  /** Adds steps to the script. */
  enqueue(...steps: SimulatedStep[]): void;
  /** Attempts whose money moved and was not voided (each counted once). */
  charged(): string[];
  /** Number of inquiries answered. */
  readonly inquiries: number;
}

type Entry = {
  listeners: Set<Subscriber<PaymentEvent>>;
  step: SimulatedStep;
  done: boolean;
  cancelTimers: (() => void)[];
};

/**
 * A deterministic terminal for development, demos and tests. It keeps its own ledger, as a
 * real terminal and its acquirer do: a resend under a known attempt id never charges
 * twice, and inquiries, cancels, voids and refunds answer from that ledger.
 * @example
 * ```ts
 * const terminal = createSimulatedTerminal({ id: 'terminal-1', clock, script: [{ do: 'decline', code: '51' }] });
 * ```
 */
export function createSimulatedTerminal(options: SimulatedTerminalOptions = {}): SimulatedTerminal {
  checkOptions(
    options,
    ['id', 'clock', 'script', 'byAmount', 'fallback', 'card', 'stepMs'],
    'simulated terminal options',
  );
  const clock = options.clock ?? systemClock;
  const script = [...(options.script ?? [])];
  const card: CardDetails = options.card ?? { brand: 'visa', last4: '4242', entryMode: 'chip' };
  const stepMs = options.stepMs ?? 0;
  const ledger = createLedger();
  const entries = new Map<string, Entry>();
  const requests: SimulatedRequest[] = [];
  let inquiries = 0;

  const later = (ms: number, fn: () => void): (() => void) => {
    if (ms <= 0) {
      let live = true;
      queueMicrotask(() => {
        if (live) fn();
      });
      return () => {
        live = false;
      };
    }
    return clock.setTimeout(fn, ms);
  };

  const emit = (e: Entry, ev: PaymentEvent) => {
    for (const l of [...e.listeners]) l.next(ev);
  };
  const finish = (id: string, e: Entry, outcome: PaymentOutcome | undefined, error?: unknown) => {
    if (e.done) return;
    e.done = true;
    for (const c of e.cancelTimers) c();
    if (outcome) ledger.settle(id, outcome);
    for (const l of [...e.listeners]) {
      if (error) l.error(error);
      else if (outcome) {
        l.next({ type: 'outcome', outcome });
        l.complete();
      } else l.complete();
    }
    e.listeners.clear();
  };

  function outcomeOf(step: SimulatedStep, req: PaymentRequest): PaymentOutcome {
    const ref = `sim_${req.attemptId}`.slice(0, 128);
    const approved = {
      amount: req.amount,
      ...(req.tip !== undefined ? { tip: req.tip } : {}),
      authCode: `A${req.attemptId
        .replace(/[^A-Za-z0-9]/g, '')
        .slice(-5)
        .toUpperCase()}`,
      card,
      providerRef: ref,
    };
    switch (step.do) {
      case 'decline':
        return { status: 'declined', reasonCode: step.code, providerRef: ref };
      case 'partial':
        if (!req.allowPartial)
          return { status: 'declined', reasonCode: 'insufficient_funds', providerRef: ref };
        return { status: 'partially_approved', ...approved, amount: step.amount, requested: req.amount };
      case 'disconnect':
        return step.then === 'decline'
          ? { status: 'declined', reasonCode: '05', providerRef: ref }
          : { status: 'approved', ...approved };
      default:
        return { status: 'approved', ...approved };
    }
  }

  function run(req: PaymentRequest, e: Entry): void {
    const id = req.attemptId;
    const step = e.step;
    if (step.do === 'approve_after_timeout') {
      ledger.settle(id, outcomeOf(step, req));
      e.done = true;
      return;
    }
    const stages: PaymentEvent[] = [
      { type: 'progress', stage: 'waiting_for_card' },
      { type: 'progress', stage: 'card_read', card },
      ...(card.entryMode === 'chip' ? [{ type: 'progress', stage: 'waiting_for_pin' } as const] : []),
      { type: 'progress', stage: 'processing' },
    ];
    let t = 0;
    if (step.do === 'disconnect') {
      e.cancelTimers.push(
        later(t, () => {
          emit(e, stages[0]!);
          const outcome = step.then === 'not_found' ? undefined : outcomeOf(step, req);
          if (!outcome) entries.delete(id);
          finish(id, e, outcome, new Error('connection to the terminal lost'));
        }),
      );
      return;
    }
    for (const ev of stages) {
      e.cancelTimers.push(later(t, () => !e.done && emit(e, ev)));
      t += stepMs;
    }
    if (step.do === 'timeout') return;
    const delay = 'delayMs' in step && step.delayMs !== undefined ? step.delayMs : 0;
    e.cancelTimers.push(later(t + delay, () => finish(id, e, outcomeOf(step, req))));
  }

  const terminal: SimulatedTerminal = {
    id: options.id ?? 'simulated',
    capabilities: {
      method: 'card',
      partialApproval: true,
      tips: true,
      refunds: true,
      void: true,
      capture: false,
    },
    get requests() {
      return requests;
    },
    get inquiries() {
      return inquiries;
    },
    enqueue(...steps) {
      script.push(...steps);
    },
    charged: () => ledger.charged(),
    start(request, signal) {
      return new Observable<PaymentEvent>((subscriber) => {
        const id = request.attemptId;
        const known = entries.get(id);
        const settled = ledger.outcome(id);
        requests.push({
          attemptId: id,
          amount: request.amount,
          ...(request.tip !== undefined ? { tip: request.tip } : {}),
          replay: known !== undefined || settled !== undefined,
          at: clock.now(),
        });
        if (settled) {
          // An idempotent resend: answer what happened, charge nothing.
          subscriber.next({ type: 'outcome', outcome: settled });
          subscriber.complete();
          return;
        }
        if (known) {
          known.listeners.add(subscriber);
          return () => known.listeners.delete(subscriber);
        }
        const step = options.byAmount?.[request.amount] ??
          script.shift() ??
          options.fallback ?? { do: 'approve' };
        if (step.do === 'fail') {
          subscriber.error(new KassaError('payment.not_sent', 'The simulated terminal refused the request'));
          return;
        }
        if (step.do === 'not_found') return; // lost on the way: silence, and no trace at the terminal
        const entry: Entry = { listeners: new Set([subscriber]), step, done: false, cancelTimers: [] };
        entries.set(id, entry);
        // The terminal goes on when the till stops listening: only the listener is removed.
        const onAbort = () => entry.listeners.delete(subscriber);
        signal.addEventListener('abort', onAbort, { once: true });
        run(request, entry);
        return () => {
          entry.listeners.delete(subscriber);
          signal.removeEventListener('abort', onAbort);
        };
      });
    },
    async inquire(ref) {
      inquiries += 1;
      const settled = ledger.outcome(ref.attemptId);
      if (settled) return settled;
      return entries.has(ref.attemptId) ? { status: 'in_progress' } : { status: 'not_found' };
    },
    async cancel(ref) {
      const e = entries.get(ref.attemptId);
      if (ledger.outcome(ref.attemptId)) return 'too_late';
      if (!e) return 'unknown';
      const answer = 'onCancel' in e.step && e.step.onCancel ? e.step.onCancel : 'canceled';
      if (answer === 'canceled') {
        finish(ref.attemptId, e, { status: 'canceled' });
      } else if (answer === 'too_late') {
        // The payment goes through; the till is left to find out by inquiry.
        const req = {
          attemptId: ref.attemptId,
          saleId: ref.saleId,
          amount: '0',
          currency: 'XXX',
          allowPartial: false,
        };
        const last = requests.find((r) => r.attemptId === ref.attemptId);
        finish(ref.attemptId, e, undefined);
        ledger.settle(ref.attemptId, outcomeOf({ do: 'approve' }, { ...req, amount: last?.amount ?? '0' }));
      }
      return answer;
    },
    async refund(request) {
      return ledger.refund(request.attemptId, request.refundKey, request.amount);
    },
    async void(ref) {
      return ledger.void(ref.attemptId, ref.key);
    },
  };
  return terminal;
}
