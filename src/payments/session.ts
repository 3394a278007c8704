import { type Observable, skip } from 'rxjs';
import { type Clock, systemClock } from '../clock.js';
import { parseInput } from '../errors.js';
import { isCurrency, minorUnits } from '../money/currencies.js';
import { Decimal } from '../money/decimal.js';
import { newPaymentId } from './ids.js';
import { reduceRecords } from './reduce.js';
import { SessionOptionsSchema } from './schemas.js';
import { createAttemptDriver } from './session/attempt-driver.js';
import { createSessionCore } from './session/core.js';
import { createRefundsAndVoids } from './session/refunds-voids.js';
import { createSettlement } from './session/settlement.js';
import { createTenders } from './session/tenders.js';
import { checkDecimals, fail } from './session/util.js';
import { createMemoryPaymentStore } from './store.js';
import type {
  CancelResult,
  PaymentOutcome,
  PaymentProvider,
  PaymentRecord,
  PaymentSessionEvent,
  PaymentSessionState,
  PaymentStore,
  Tender,
  TenderRefund,
} from './types.js';

/*
 * The public facade of a sale's payments. The work lives in ./session/: core.ts (the shared
 * state and the append queue), attempt-driver.ts, tenders.ts, refunds-voids.ts and
 * settlement.ts; the terminal lock is ./terminal-lock.ts.
 */

/** Options of {@link createPaymentSession}. */
export interface PaymentSessionOptions {
  /** The sale this session pays; one session (and one set of store records) per sale. */
  readonly saleId: string;
  /** What the sale costs, as a decimal string. */
  readonly total: string;
  readonly currency: string;
  /** The providers (terminals, cash) this till can use; ids must be unique. */
  readonly providers: readonly PaymentProvider[];
  /** Where attempts are journaled; default: a fresh in-memory store. */
  readonly store?: PaymentStore;
  /** Default: the system clock. */
  readonly clock?: Clock;
  /** Cash rounding (`{ step: '0.05' }`); applies to cash tenders only. */
  readonly cashRounding?: {
    readonly step: string;
    readonly mode?: import('../money/rounding.js').RoundingMode | undefined;
  };
  /** Keep partial approvals and leave the rest due (default `true`); `false` voids them at once. */
  readonly acceptPartial?: boolean;
  /** How long a terminal may take before the outcome counts as unknown (default 120 000 ms). */
  readonly timeoutMs?: number;
  /** Inquiries after an unknown outcome: at most `maxAttempts` (default 5), `intervalMs` apart (default 5 000). */
  readonly inquiry?: { readonly maxAttempts?: number; readonly intervalMs?: number };
  /** What to do with a payment approved after the cashier asked to cancel it (default `'void'`). */
  readonly lateApproval?: 'void' | 'keep';
  /** Makes attempt and refund ids; default: random UUIDs. */
  readonly newId?: (kind: 'pa' | 'rf') => string;
}

/** Result of {@link PaymentSession.refund}. */
export interface RefundResult {
  readonly refundId: string;
  readonly amount: string;
  /** One part per tender refunded, card tenders first, then cash. */
  readonly parts: readonly (TenderRefund & {
    readonly attemptId: string;
    readonly method: Tender['method'];
  })[];
}

/** What {@link PaymentSession.applyWebhook} did. */
export type WebhookApplication = 'applied' | 'duplicate' | 'ignored';

/** A webhook's verified content, applied to the attempt it names. */
export interface WebhookUpdate {
  /** The provider's event id; an event applied twice has the effect of one. */
  readonly eventId: string;
  readonly attemptId: string;
  readonly outcome: PaymentOutcome;
}

/**
 * The payments of one sale. The whole state is a fold over the store records, so a
 * session torn down at any moment (reload, crash) is rebuilt by creating it again from
 * the same store and calling {@link PaymentSession.recover}.
 */
export interface PaymentSession {
  readonly saleId: string;
  /** The state after every change; replays the current state to each new subscriber. */
  readonly state$: Observable<PaymentSessionState>;
  /** Progress, drawer requests, outcomes, voids and refunds. */
  readonly events$: Observable<PaymentSessionEvent>;
  /** The current state, synchronously. */
  snapshot(): PaymentSessionState;
  /**
   * Calls `listener` after every change, without replaying the current state (read that with
   * {@link PaymentSession.snapshot}); returns the unsubscribe function. This is the meaning
   * `subscribe` has everywhere in kassa (the cart store's is the same), and the one
   * `useSyncExternalStore(session.subscribe, session.snapshot)` expects. `state$` is the
   * Observable that replays.
   */
  subscribe(listener: (state: PaymentSessionState) => void): () => void;
  /**
   * Pays with one provider. Resolves with the tender once approved (or partially approved
   * and kept); rejects with `payment.declined`, `payment.not_sent`, `payment.canceled`,
   * `payment.partial_voided` or `payment.needs_attention`, and with a validation code for
   * bad input (which changes nothing). For cash, `amount` is what the customer hands over.
   */
  pay(input: {
    provider: string;
    amount: string;
    currency?: string;
    tip?: string;
    allowPartial?: boolean;
    entry?: { authCode: string; brand?: string; last4?: string };
  }): Promise<Tender>;
  /** Asks the terminal to stop an attempt in flight. */
  cancel(attemptId: string): Promise<CancelResult>;
  /** Voids an approved tender before the sale completes. */
  voidTender(attemptId: string): Promise<Tender>;
  /** Refunds `amount` over the tenders: card tenders by reference first, then cash. */
  refund(input: { amount: string; currency?: string; reason?: string }): Promise<RefundResult>;
  /** A person's audited resolution of an attempt that needs attention. */
  resolve(
    attemptId: string,
    input:
      | { resolution: 'approved'; amount: string; authCode?: string; by: string; note: string }
      | { resolution: 'not_charged'; by: string; note: string },
  ): Promise<Tender>;
  /** Applies a verified webhook; a duplicate event changes nothing. */
  applyWebhook(update: WebhookUpdate): Promise<WebhookApplication>;
  /** Resolves every attempt of this sale that is not final (by inquiry) and resends pending voids and refunds. */
  recover(): Promise<readonly Tender[]>;
  /** Marks the sale complete: nothing due, nothing in flight. Afterwards only refunds are accepted. */
  complete(): Promise<PaymentSessionState>;
  /** Stops timers and listeners; the session accepts nothing more. The store keeps everything. */
  dispose(): void;
}

/**
 * Opens (or rebuilds from the store) the payment session of a sale.
 *
 * Refines the architecture sketch: it is async, because the store is read first; a
 * session whose records already exist is rebuilt from them, and its options must name the
 * same total and currency.
 *
 * @example
 * ```ts
 * const session = await createPaymentSession({
 *   saleId: 'sale-1', total: '47.30', currency: 'EUR',
 *   providers: [createCashProvider(), createSimulatedTerminal({ id: 'terminal-1' })],
 *   store: createMemoryPaymentStore(),
 * });
 * await session.pay({ provider: 'cash', amount: '30.00' });
 * await session.pay({ provider: 'terminal-1', amount: '17.30' });
 * session.snapshot().due; // '0.00'
 * ```
 * @throws KassaError `validation.*` for bad options, `payment.session_mismatch` when the
 * store holds the sale with another total or currency.
 */
export async function createPaymentSession(options: PaymentSessionOptions): Promise<PaymentSession> {
  const {
    providers: providerList,
    store: givenStore,
    clock: givenClock,
    newId: givenNewId,
    ...data
  } = options ?? ({} as PaymentSessionOptions);
  const opts = parseInput(SessionOptionsSchema, data, 'payment session options');
  if (!isCurrency(opts.currency)) {
    fail('validation.invalid_currency', `Unknown currency ${opts.currency}`, { path: ['currency'] });
  }
  checkDecimals(opts.total, opts.currency, ['total']);
  if (!Array.isArray(providerList)) {
    fail('validation.invalid_input', 'providers must be an array', { path: ['providers'] });
  }
  const providers = new Map<string, PaymentProvider>();
  for (const [i, p] of providerList.entries()) {
    if (
      !p ||
      typeof p.id !== 'string' ||
      typeof p.start !== 'function' ||
      typeof p.inquire !== 'function' ||
      !p.capabilities
    ) {
      fail('validation.invalid_input', `providers[${i}] is not a PaymentProvider`, {
        path: ['providers', i],
      });
    }
    if (providers.has(p.id)) {
      fail('validation.invalid_input', `Duplicate provider id ${p.id}`, { path: ['providers', i, 'id'] });
    }
    providers.set(p.id, p);
  }
  const store = givenStore ?? createMemoryPaymentStore();
  const clock: Clock = givenClock ?? systemClock;
  const currency = opts.currency;
  const records: PaymentRecord[] = [...(await store.records({ saleId: opts.saleId }))];
  let model = reduceRecords(records);
  const existing = model.get(opts.saleId)?.session;
  if (existing) {
    if (!new Decimal(existing.total).eq(opts.total) || existing.currency !== currency) {
      fail(
        'payment.session_mismatch',
        `The store holds sale ${opts.saleId} with total ${existing.total} ${existing.currency}`,
        { path: ['total'], stored: { total: existing.total, currency: existing.currency } },
      );
    }
  } else {
    const rec: PaymentRecord = {
      type: 'session',
      saleId: opts.saleId,
      at: clock.now(),
      total: opts.total,
      currency,
      acceptPartial: opts.acceptPartial ?? true,
      ...(opts.cashRounding ? { cashRounding: opts.cashRounding } : {}),
    };
    await store.append(rec);
    records.push(rec);
    model = reduceRecords(records);
  }
  const sessionRec = model.get(opts.saleId)!.session!;
  const acceptPartial = sessionRec.acceptPartial;
  const cashRounding = sessionRec.cashRounding;

  const ctx = createSessionCore({
    saleId: opts.saleId,
    currency,
    decimals: minorUnits(currency),
    store,
    clock,
    newId: givenNewId ?? newPaymentId,
    providers,
    timeoutMs: opts.timeoutMs ?? 120_000,
    maxInquiries: opts.inquiry?.maxAttempts ?? 5,
    inquiryInterval: opts.inquiry?.intervalMs ?? 5_000,
    lateApproval: opts.lateApproval ?? 'void',
    acceptPartial,
    cashRounding,
    records,
  });
  const money = createRefundsAndVoids(ctx);
  const driver = createAttemptDriver(ctx, money);
  const tenders = createTenders(ctx, driver);
  const settlement = createSettlement(ctx, { ...driver, ...money });
  const { state, events, timers, active, closers, closedError } = ctx;

  return {
    saleId: opts.saleId,
    state$: state.asObservable(),
    events$: events.asObservable(),
    snapshot: () => state.getValue(),
    subscribe(listener) {
      const sub = state.pipe(skip(1)).subscribe(listener);
      return () => sub.unsubscribe();
    },
    pay: tenders.pay,
    cancel: driver.cancel,
    voidTender: money.voidTender,
    refund: money.refund,
    resolve: driver.resolve,
    applyWebhook: driver.applyWebhook,
    recover: settlement.recover,
    complete: settlement.complete,
    dispose() {
      if (ctx.isClosed()) return;
      ctx.markClosed();
      for (const cancel of timers) cancel();
      timers.clear();
      for (const run of [...active.values()])
        run.finish({ kind: 'unknown', reason: 'disposed', source: 'start' });
      const err = closedError();
      for (const close of [...closers]) close(err);
      closers.clear();
      state.complete();
      events.complete();
    },
  };
}
