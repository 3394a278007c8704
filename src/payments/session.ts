import { BehaviorSubject, type Observable, Subject, type Subscription } from 'rxjs';
import { type Clock, systemClock } from '../clock.js';
import { isKassaError, KassaError, parseInput } from '../errors.js';
import { isCurrency, minorUnits } from '../money/currencies.js';
import { Decimal } from '../money/decimal.js';
import { roundToStep } from '../money/rounding.js';
import { newPaymentId, refundKey, voidKey } from './ids.js';
import {
  type AttemptModel,
  isFinal,
  isOpen,
  paidBy,
  reduceRecords,
  refundableOf,
  reservedOf,
  type SaleModel,
  toState,
  toTender,
} from './reduce.js';
import {
  InquiryResultSchema,
  PayInputSchema,
  PaymentEventSchema,
  PaymentOutcomeSchema,
  RefundInputSchema,
  ResolutionInputSchema,
  SessionOptionsSchema,
  WebhookUpdateSchema,
} from './schemas.js';
import { createMemoryPaymentStore } from './store.js';
import type {
  AttemptRef,
  CancelResult,
  PaymentOutcome,
  PaymentProvider,
  PaymentRecord,
  PaymentSessionEvent,
  PaymentSessionState,
  PaymentStore,
  ProgressStage,
  Tender,
  TenderRefund,
  VoidReason,
} from './types.js';

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
  /** The state after every change; replays the latest to new subscribers. */
  readonly state$: Observable<PaymentSessionState>;
  /** Progress, drawer requests, outcomes, voids and refunds. */
  readonly events$: Observable<PaymentSessionEvent>;
  /** The current state, synchronously. */
  snapshot(): PaymentSessionState;
  /** For `useSyncExternalStore` and friends; returns the unsubscribe function. */
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

type StartResult =
  | { kind: 'outcome'; outcome: PaymentOutcome; source: 'start' | 'cancel' | 'webhook' }
  | { kind: 'unknown'; reason: string; source: 'start' | 'timeout' };

function fail(code: import('../errors.js').KassaErrorCode, message: string, details = {}): never {
  throw new KassaError(code, message, details);
}

function checkDecimals(value: string, currency: string, path: (string | number)[]): Decimal {
  const d = new Decimal(value);
  if (d.decimalPlaces() > minorUnits(currency)) {
    fail(
      'validation.too_many_decimals',
      `${value} has more decimals than ${currency} allows (${minorUnits(currency)})`,
      { path },
    );
  }
  return d;
}

function sameCurrency(given: string | undefined, currency: string): void {
  if (given !== undefined && given !== currency) {
    fail('validation.currency_mismatch', `Amount in ${given}, but the sale is in ${currency}`, {
      path: ['currency'],
    });
  }
}

function positive(d: Decimal, path: (string | number)[]): void {
  if (d.lte(0)) fail('validation.invalid_amount', 'Amount must be greater than zero', { path });
}

function sanitizeReason(e: unknown): string {
  const raw = isKassaError(e) ? e.code : e instanceof Error ? e.message : 'provider error';
  const cleaned = raw.replace(/\d/g, '#').slice(0, 200);
  return cleaned.length > 0 ? cleaned : 'provider error';
}

/** What a void or refund call that threw means: not sent is safe to retry; anything else may have moved money. */
function outcomeOfThrow(e: unknown): PaymentOutcome {
  return isKassaError(e) && e.code === 'payment.not_sent'
    ? { status: 'failed', reason: 'not sent' }
    : { status: 'unknown', reason: sanitizeReason(e) };
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
  const clock = givenClock ?? systemClock;
  const newId = givenNewId ?? newPaymentId;
  const currency = opts.currency;
  const decimals = minorUnits(currency);
  const timeoutMs = opts.timeoutMs ?? 120_000;
  const maxInquiries = opts.inquiry?.maxAttempts ?? 5;
  const inquiryInterval = opts.inquiry?.intervalMs ?? 5_000;
  const lateApproval = opts.lateApproval ?? 'void';

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

  let closed = false;
  const progress: Record<string, ProgressStage> = {};
  const sale = (): SaleModel => model.get(opts.saleId)!;
  const state = new BehaviorSubject<PaymentSessionState>(toState(sale(), decimals, progress));
  const events = new Subject<PaymentSessionEvent>();
  const timers = new Set<() => void>();
  const active = new Map<string, { finish(r: StartResult): void }>();
  const driving = new Set<string>();
  const closers = new Set<(e: KassaError) => void>();

  const closedError = () => new KassaError('payment.session_closed', 'The payment session was disposed');
  const ensureOpen = () => {
    if (closed) throw closedError();
  };

  let appendChain: Promise<void> = Promise.resolve();
  function append(record: PaymentRecord): Promise<void> {
    const run = appendChain.then(async () => {
      ensureOpen();
      await store.append(record);
      // A disposed session is a dead process: what it wrote is in the store, but it
      // no longer changes its own view.
      if (closed) throw closedError();
      records.push(record);
      model = reduceRecords(records);
      publish();
    });
    appendChain = run.catch(() => undefined);
    return run;
  }

  function publish(): void {
    state.next(toState(sale(), decimals, progress));
  }

  let lock: Promise<unknown> = Promise.resolve();
  function exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = lock.then(fn, fn);
    lock = run.catch(() => undefined);
    return run;
  }

  function sleep(ms: number): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const onClose = (e: KassaError) => {
        cancel();
        reject(e);
      };
      const cancel = clock.setTimeout(() => {
        timers.delete(cancel);
        closers.delete(onClose);
        resolve();
      }, ms);
      timers.add(cancel);
      closers.add(onClose);
    });
  }

  function attempt(attemptId: string): AttemptModel {
    const a = sale().attempts.get(attemptId);
    if (!a)
      fail('payment.unknown_attempt', `No attempt ${attemptId} in sale ${opts.saleId}`, {
        path: ['attemptId'],
      });
    return a;
  }

  function providerOf(a: AttemptModel): PaymentProvider {
    const p = providers.get(a.record.provider);
    if (!p) fail('payment.unknown_provider', `Provider ${a.record.provider} is not configured`);
    return p;
  }

  function refOf(a: AttemptModel): AttemptRef {
    const o = a.outcome;
    const providerRef = o && 'providerRef' in o ? o.providerRef : undefined;
    return { attemptId: a.record.attemptId, saleId: opts.saleId, ...(providerRef ? { providerRef } : {}) };
  }

  function parseOutcome(value: unknown): PaymentOutcome {
    const parsed = PaymentOutcomeSchema.safeParse(value);
    return parsed.success ? parsed.data : { status: 'unknown', reason: 'invalid provider response' };
  }

  async function terminalBusy(providerId: string): Promise<boolean> {
    if (
      sale().attempts.size > 0 &&
      [...sale().attempts.values()].some((a) => a.record.provider === providerId && isOpen(a.status))
    ) {
      return true;
    }
    // Another sale (another tab, a crashed run) may have left this terminal unresolved.
    const all = reduceRecords(await store.records());
    for (const s of all.values()) {
      if (s.saleId === opts.saleId) continue;
      for (const a of s.attempts.values())
        if (a.record.provider === providerId && isOpen(a.status)) return true;
    }
    return false;
  }

  function runStart(a: AttemptModel, provider: PaymentProvider): Promise<StartResult> {
    return new Promise<StartResult>((resolve) => {
      const id = a.record.attemptId;
      const controller = new AbortController();
      let done = false;
      let sub: Subscription | undefined;
      const finish = (r: StartResult) => {
        if (done) return;
        done = true;
        cancelTimer();
        timers.delete(cancelTimer);
        active.delete(id);
        delete progress[id];
        controller.abort();
        sub?.unsubscribe();
        resolve(r);
      };
      const cancelTimer = clock.setTimeout(
        () => finish({ kind: 'unknown', reason: 'timeout', source: 'timeout' }),
        timeoutMs,
      );
      timers.add(cancelTimer);
      active.set(id, { finish });
      const r = a.record;
      try {
        sub = provider
          .start(
            {
              attemptId: id,
              saleId: opts.saleId,
              amount: r.amount,
              currency,
              allowPartial: r.allowPartial,
              ...(r.tip !== undefined ? { tip: r.tip } : {}),
              ...(r.entry !== undefined ? { entry: r.entry } : {}),
            },
            controller.signal,
          )
          .subscribe({
            next(raw) {
              if (done) return;
              const ev = PaymentEventSchema.safeParse(raw);
              if (!ev.success) return;
              if (ev.data.type === 'outcome') {
                finish({ kind: 'outcome', outcome: ev.data.outcome, source: 'start' });
                return;
              }
              progress[id] = ev.data.stage;
              publish();
              if (ev.data.stage === 'drawer_open') {
                events.next({ type: 'drawer_open', saleId: opts.saleId, attemptId: id });
              } else {
                events.next({
                  type: 'progress',
                  attemptId: id,
                  stage: ev.data.stage,
                  ...(ev.data.card ? { card: ev.data.card } : {}),
                });
              }
            },
            error(e) {
              if (isKassaError(e) && e.code === 'payment.not_sent') {
                finish({
                  kind: 'outcome',
                  outcome: { status: 'failed', reason: 'not sent' },
                  source: 'start',
                });
              } else {
                finish({ kind: 'unknown', reason: sanitizeReason(e), source: 'start' });
              }
            },
            complete() {
              finish({ kind: 'unknown', reason: 'ended without an outcome', source: 'start' });
            },
          });
        if (done) sub.unsubscribe();
      } catch (e) {
        // A synchronous throw may still have sent something: only an inquiry can tell.
        finish({ kind: 'unknown', reason: sanitizeReason(e), source: 'start' });
      }
    });
  }

  async function recordOutcome(
    id: string,
    outcome: PaymentOutcome,
    source: 'start' | 'inquiry' | 'webhook' | 'cancel' | 'timeout',
  ): Promise<void> {
    if (isFinal(attempt(id).status)) return;
    await append({ type: 'outcome', saleId: opts.saleId, at: clock.now(), attemptId: id, source, outcome });
    events.next({ type: 'outcome', attemptId: id, status: attempt(id).status });
  }

  async function inquireUntilKnown(id: string): Promise<void> {
    for (;;) {
      const a = attempt(id);
      if (isFinal(a.status) || a.status === 'needs_attention') return;
      if (a.inquiries >= maxInquiries) {
        await append({
          type: 'attention',
          saleId: opts.saleId,
          at: clock.now(),
          attemptId: id,
          reason: `no final answer after ${a.inquiries} inquiries`,
        });
        events.next({ type: 'needs_attention', attemptId: id, reason: attempt(id).reason ?? 'unresolved' });
        return;
      }
      let answer: ReturnType<typeof InquiryResultSchema.parse>;
      try {
        const parsed = InquiryResultSchema.safeParse(await providerOf(a).inquire(refOf(a)));
        answer = parsed.success ? parsed.data : { status: 'in_progress' };
      } catch {
        answer = { status: 'in_progress' };
      }
      ensureOpen();
      if (isFinal(attempt(id).status)) return;
      if (answer.status === 'not_found') {
        await recordOutcome(id, { status: 'failed', reason: 'not found at the provider' }, 'inquiry');
        return;
      }
      if (answer.status === 'in_progress' || answer.status === 'unknown') {
        await append({
          type: 'inquiry',
          saleId: opts.saleId,
          at: clock.now(),
          attemptId: id,
          answer: 'in_progress',
        });
        if (attempt(id).inquiries < maxInquiries) await sleep(inquiryInterval);
        continue;
      }
      await recordOutcome(id, answer, 'inquiry');
      return;
    }
  }

  async function sendVoid(id: string, reason: VoidReason): Promise<void> {
    const a = attempt(id);
    const key = voidKey(id);
    if (a.void === 'none' || a.void === 'failed') {
      await append({ type: 'void', saleId: opts.saleId, at: clock.now(), attemptId: id, key, reason });
    }
    const provider = providerOf(a);
    let outcome: PaymentOutcome;
    try {
      const ref = { ...refOf(a), key };
      outcome = parseOutcome(
        provider.void
          ? await provider.void(ref)
          : await provider.refund({
              refundKey: key,
              attemptId: id,
              saleId: opts.saleId,
              amount: paidBy(a).toFixed(decimals),
              currency,
              ...(ref.providerRef ? { providerRef: ref.providerRef } : {}),
            }),
      );
    } catch (e) {
      outcome = outcomeOfThrow(e);
    }
    await append({ type: 'void_outcome', saleId: opts.saleId, at: clock.now(), attemptId: id, key, outcome });
    if (attempt(id).void === 'voided') events.next({ type: 'voided', attemptId: id });
  }

  async function afterFinal(id: string): Promise<void> {
    const a = attempt(id);
    if (a.void !== 'none') return;
    if (a.status === 'partially_approved' && !(acceptPartial && a.record.allowPartial)) {
      await sendVoid(id, 'partial_not_accepted');
    } else if (
      (a.status === 'approved' || a.status === 'partially_approved') &&
      a.cancelRequested &&
      lateApproval === 'void'
    ) {
      await sendVoid(id, 'late_approval');
    }
    if (a.record.method === 'cash' && a.status === 'approved' && !progressSeenDrawer.has(id)) {
      events.next({ type: 'drawer_open', saleId: opts.saleId, attemptId: id });
    }
  }
  const progressSeenDrawer = new Set<string>();
  events.subscribe((e) => {
    if (e.type === 'drawer_open') progressSeenDrawer.add(e.attemptId);
  });

  async function drive(id: string, send: boolean): Promise<void> {
    if (driving.has(id)) return;
    driving.add(id);
    try {
      const a = attempt(id);
      if (send && a.status === 'pending') {
        const result = await runStart(a, providerOf(a));
        ensureOpen();
        if (result.kind === 'outcome') {
          await recordOutcome(id, parseOutcome(result.outcome), result.source);
        } else {
          await recordOutcome(id, { status: 'unknown', reason: result.reason }, result.source);
        }
      }
      await inquireUntilKnown(id);
      if (isFinal(attempt(id).status)) await afterFinal(id);
    } finally {
      driving.delete(id);
    }
  }

  function settle(id: string): Tender {
    const a = attempt(id);
    const tender = toTender(a, decimals);
    const details = { attemptId: id, status: a.status };
    switch (a.status) {
      case 'approved':
      case 'partially_approved':
        if (a.void === 'voided' || a.void === 'pending') {
          throw new KassaError(
            a.voidReason === 'partial_not_accepted' ? 'payment.partial_voided' : 'payment.canceled',
            a.voidReason === 'partial_not_accepted'
              ? 'The terminal approved only part of the amount; the sale takes no partial payments, so it was voided'
              : 'The payment was approved after the cancel and has been voided',
            { ...details, retry: 'new_attempt', void: a.void },
          );
        }
        return tender;
      case 'declined':
        throw new KassaError('payment.declined', `Declined (${tender.declineCode ?? 'no code'})`, {
          ...details,
          reasonCode: tender.declineCode,
          retry: 'new_attempt',
        });
      case 'failed':
        throw new KassaError('payment.not_sent', `The payment did not take place: ${a.reason ?? 'failed'}`, {
          ...details,
          retry: 'safe',
        });
      case 'canceled':
        throw new KassaError('payment.canceled', 'The payment was canceled', {
          ...details,
          retry: 'new_attempt',
        });
      case 'needs_attention':
        throw new KassaError('payment.needs_attention', 'The outcome is unknown; a person must resolve it', {
          ...details,
          retry: 'inquire_only',
        });
      default:
        throw new KassaError('payment.outcome_unknown', 'The outcome is not known yet', {
          ...details,
          retry: 'inquire_only',
        });
    }
  }

  function track<T>(p: Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const onClose = (e: KassaError) => reject(e);
      closers.add(onClose);
      p.then(
        (v) => {
          closers.delete(onClose);
          resolve(v);
        },
        (e) => {
          closers.delete(onClose);
          reject(e);
        },
      );
    });
  }

  const session: PaymentSession = {
    saleId: opts.saleId,
    state$: state.asObservable(),
    events$: events.asObservable(),
    snapshot: () => state.getValue(),
    subscribe(listener) {
      const sub = state.subscribe(listener);
      return () => sub.unsubscribe();
    },

    async pay(input) {
      ensureOpen();
      const req = parseInput(PayInputSchema, input, 'payment');
      const provider = providers.get(req.provider);
      if (!provider) {
        fail('payment.unknown_provider', `Unknown provider ${req.provider}`, { path: ['provider'] });
      }
      const caps = provider.capabilities;
      sameCurrency(req.currency, currency);
      const amount = checkDecimals(req.amount, currency, ['amount']);
      positive(amount, ['amount']);
      if (req.tip !== undefined) {
        if (!caps.tips) fail('payment.unsupported', `${provider.id} takes no tips`, { path: ['tip'] });
        checkDecimals(req.tip, currency, ['tip']);
      }
      if (caps.method === 'external' && !req.entry) {
        fail('validation.invalid_input', 'An external terminal needs the approval code keyed in', {
          path: ['entry'],
        });
      }
      const id = await exclusive(async () => {
        ensureOpen();
        if (sale().completed) fail('payment.invalid_state', 'The sale is complete');
        if (await terminalBusy(provider.id)) {
          fail('payment.terminal_busy', `${provider.id} has an attempt that is not resolved`, {
            path: ['provider'],
          });
        }
        const st = toState(sale(), decimals, progress);
        const available = new Decimal(st.due).minus(reservedOf(sale()));
        if (available.lte(0)) fail('payment.nothing_due', 'Nothing is due', { path: ['amount'] });
        const attemptId = newId('pa');
        const base = {
          type: 'attempt' as const,
          saleId: opts.saleId,
          at: clock.now(),
          attemptId,
          provider: provider.id,
          method: caps.method,
          currency,
          allowPartial: req.allowPartial ?? (acceptPartial && caps.partialApproval),
        };
        let record: PaymentRecord;
        if (caps.method === 'cash') {
          const cashRest = cashRounding
            ? roundToStep(available, new Decimal(cashRounding.step), cashRounding.mode ?? 'half-up')
            : available;
          const settles = amount.gte(cashRest);
          const kept = settles ? cashRest : amount;
          record = {
            ...base,
            allowPartial: false,
            amount: kept.toFixed(decimals),
            tendered: amount.toFixed(decimals),
            change: (settles ? amount.minus(cashRest) : new Decimal(0)).toFixed(decimals),
            rounding: (settles ? cashRest.minus(available) : new Decimal(0)).toFixed(decimals),
          };
        } else {
          if (amount.gt(available)) {
            fail(
              'payment.amount_exceeds_due',
              `Only cash may exceed what is due (${available.toFixed(decimals)})`,
              { path: ['amount'], due: available.toFixed(decimals) },
            );
          }
          record = {
            ...base,
            amount: amount.toFixed(decimals),
            ...(req.tip !== undefined ? { tip: new Decimal(req.tip).toFixed(decimals) } : {}),
            ...(req.entry !== undefined ? { entry: req.entry } : {}),
          };
        }
        // Journaled before the first request leaves: a crash from here on is recoverable.
        await append(record);
        return attemptId;
      });
      await track(drive(id, true));
      return settle(id);
    },

    async cancel(attemptId) {
      ensureOpen();
      const a = attempt(attemptId);
      if (!isOpen(a.status) || a.status === 'needs_attention') {
        fail(
          'payment.invalid_state',
          `Attempt ${attemptId} is ${a.status}; only an attempt in flight can be canceled`,
        );
      }
      let result: CancelResult;
      try {
        result = await providerOf(a).cancel(refOf(a));
        if (result !== 'canceled' && result !== 'too_late' && result !== 'unknown') result = 'unknown';
      } catch {
        result = 'unknown';
      }
      await append({ type: 'cancel', saleId: opts.saleId, at: clock.now(), attemptId, result });
      const run = active.get(attemptId);
      if (result === 'canceled') {
        if (run) run.finish({ kind: 'outcome', outcome: { status: 'canceled' }, source: 'cancel' });
        else await recordOutcome(attemptId, { status: 'canceled' }, 'cancel');
      } else if (result === 'unknown') {
        run?.finish({ kind: 'unknown', reason: 'cancel outcome unknown', source: 'start' });
      }
      return result;
    },

    async voidTender(attemptId) {
      ensureOpen();
      const a = attempt(attemptId);
      if (sale().completed) fail('payment.invalid_state', 'The sale is complete; refund instead');
      if (a.status !== 'approved' && a.status !== 'partially_approved') {
        fail(
          'payment.invalid_state',
          `Attempt ${attemptId} is ${a.status}; only an approved tender can be voided`,
        );
      }
      if (a.void === 'voided' || a.void === 'pending') return toTender(a, decimals);
      if (a.refunds.length > 0) fail('payment.invalid_state', 'A refunded tender cannot be voided');
      await track(exclusive(() => sendVoid(attemptId, 'requested')));
      return toTender(attempt(attemptId), decimals);
    },

    async refund(input) {
      ensureOpen();
      const req = parseInput(RefundInputSchema, input, 'refund');
      sameCurrency(req.currency, currency);
      const amount = checkDecimals(req.amount, currency, ['amount']);
      positive(amount, ['amount']);
      const { refundId, parts } = await exclusive(async () => {
        ensureOpen();
        const tenders = [...sale().attempts.values()].filter((a) => refundableOf(a).gt(0));
        // Card tenders by reference first (they return to the card the customer used), then cash.
        const ordered = [
          ...tenders.filter((a) => a.record.method !== 'cash' && providerOf(a).capabilities.refunds),
          ...tenders.filter((a) => a.record.method === 'cash'),
        ];
        const refundable = ordered.reduce((s, a) => s.plus(refundableOf(a)), new Decimal(0));
        if (amount.gt(refundable)) {
          fail(
            'payment.refund_exceeds_paid',
            `Refund ${amount.toFixed(decimals)} exceeds what can be refunded (${refundable.toFixed(decimals)})`,
            { path: ['amount'], refundable: refundable.toFixed(decimals) },
          );
        }
        let left = amount;
        const parts: { attemptId: string; amount: string; key: string }[] = [];
        for (const a of ordered) {
          if (left.lte(0)) break;
          const take = Decimal.min(left, refundableOf(a));
          left = left.minus(take);
          parts.push({
            attemptId: a.record.attemptId,
            amount: take.toFixed(decimals),
            key: refundKey(a.record.attemptId, a.refunds.length + 1),
          });
        }
        const refundId = newId('rf');
        await append({
          type: 'refund',
          saleId: opts.saleId,
          at: clock.now(),
          refundId,
          parts,
          ...(req.reason !== undefined ? { reason: req.reason } : {}),
        });
        return { refundId, parts };
      });
      for (const part of parts) await track(sendRefund(refundId, part.attemptId, part.key, part.amount));
      const result = parts.map((p) => {
        const a = attempt(p.attemptId);
        const r = a.refunds.find((x) => x.key === p.key)!;
        return {
          refundId,
          key: p.key,
          amount: p.amount,
          status: r.status,
          attemptId: p.attemptId,
          method: a.record.method,
        };
      });
      return { refundId, amount: amount.toFixed(decimals), parts: result };
    },

    async resolve(attemptId, input) {
      ensureOpen();
      const req = parseInput(ResolutionInputSchema, input, 'resolution');
      const a = attempt(attemptId);
      if (a.status !== 'needs_attention') {
        fail(
          'payment.invalid_state',
          `Attempt ${attemptId} is ${a.status}; only one that needs attention is resolved by hand`,
        );
      }
      if (req.resolution === 'approved') {
        const amt = checkDecimals(req.amount, currency, ['amount']);
        positive(amt, ['amount']);
        if (amt.gt(a.record.amount)) {
          fail('validation.invalid_amount', 'A resolution cannot approve more than was asked', {
            path: ['amount'],
          });
        }
      }
      await append({
        type: 'resolution',
        saleId: opts.saleId,
        at: clock.now(),
        attemptId,
        resolution: req.resolution,
        by: req.by,
        note: req.note,
        ...(req.resolution === 'approved'
          ? {
              amount: new Decimal(req.amount).toFixed(decimals),
              ...(req.authCode ? { authCode: req.authCode } : {}),
            }
          : {}),
      });
      events.next({ type: 'outcome', attemptId, status: attempt(attemptId).status });
      return toTender(attempt(attemptId), decimals);
    },

    async applyWebhook(update) {
      ensureOpen();
      const eventId = parseInput(WebhookUpdateSchema, update, 'webhook update');
      const a = attempt(eventId.attemptId);
      if (sale().webhooks.has(eventId.eventId)) return 'duplicate';
      await append({
        type: 'webhook',
        saleId: opts.saleId,
        at: clock.now(),
        eventId: eventId.eventId,
        attemptId: eventId.attemptId,
      });
      if (isFinal(a.status) || eventId.outcome.status === 'unknown') return 'ignored';
      const run = active.get(eventId.attemptId);
      if (run) {
        run.finish({ kind: 'outcome', outcome: eventId.outcome, source: 'webhook' });
        return 'applied';
      }
      await recordOutcome(eventId.attemptId, eventId.outcome, 'webhook');
      if (!driving.has(eventId.attemptId) && isFinal(attempt(eventId.attemptId).status)) {
        await afterFinal(eventId.attemptId);
      }
      return 'applied';
    },

    async recover() {
      ensureOpen();
      const touched: string[] = [];
      for (const a of [...sale().attempts.values()]) {
        const id = a.record.attemptId;
        if ((a.status === 'pending' || a.status === 'unknown') && !driving.has(id) && !active.has(id)) {
          touched.push(id);
          // Never `start` again: only an inquiry may find out what happened.
          await track(drive(id, false));
        } else if (isFinal(a.status) && a.void === 'none' && !driving.has(id)) {
          const before = attempt(id);
          if (
            (before.status === 'partially_approved' && !(acceptPartial && before.record.allowPartial)) ||
            ((before.status === 'approved' || before.status === 'partially_approved') &&
              before.cancelRequested &&
              lateApproval === 'void')
          ) {
            touched.push(id);
            await track(afterFinal(id));
          }
        }
        const now = attempt(id);
        if (now.void === 'pending') {
          touched.push(id);
          await track(sendVoid(id, now.voidReason ?? 'requested'));
        }
        for (const r of now.refunds) {
          if (r.status === 'pending' || r.status === 'unknown') {
            touched.push(id);
            await track(sendRefund(r.refundId, id, r.key, r.amount));
          }
        }
      }
      return [...new Set(touched)].map((id) => toTender(attempt(id), decimals));
    },

    async complete() {
      ensureOpen();
      return exclusive(async () => {
        const st = toState(sale(), decimals, progress);
        if (st.status !== 'paid') fail('payment.invalid_state', `${st.due} is still due`);
        if (st.busy.length > 0) fail('payment.invalid_state', 'An attempt is still in flight');
        if (!sale().completed) await append({ type: 'complete', saleId: opts.saleId, at: clock.now() });
        return state.getValue();
      });
    },

    dispose() {
      if (closed) return;
      closed = true;
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

  async function sendRefund(refundId: string, attemptId: string, key: string, amount: string): Promise<void> {
    const a = attempt(attemptId);
    let outcome: PaymentOutcome;
    try {
      const ref = refOf(a);
      outcome = parseOutcome(
        await providerOf(a).refund({
          refundKey: key,
          attemptId,
          saleId: opts.saleId,
          amount,
          currency,
          ...(ref.providerRef ? { providerRef: ref.providerRef } : {}),
        }),
      );
    } catch (e) {
      outcome = outcomeOfThrow(e);
    }
    await append({
      type: 'refund_outcome',
      saleId: opts.saleId,
      at: clock.now(),
      refundId,
      attemptId,
      key,
      outcome,
    });
    const r = attempt(attemptId).refunds.find((x) => x.key === key);
    if (r?.status === 'approved') {
      events.next({ type: 'refunded', refundId, attemptId, amount });
      if (a.record.method === 'cash') events.next({ type: 'drawer_open', saleId: opts.saleId, attemptId });
    }
  }

  return session;
}
