/**
 * `kassa/payments/stripe-terminal`: Stripe Terminal. Two integrations:
 * - {@link createStripeTerminal} wraps the `Terminal` object the app loads from Stripe's JS
 *   SDK (`@stripe/terminal-js`) in the browser: the reader is connected there, payment
 *   intents are created on the merchant's server.
 * - {@link createStripeServerDrivenTerminal} drives a smart reader from the server through
 *   the API (`process_payment_intent`, `cancel_action`).
 * Both talk to Stripe only through a {@link StripeBackend}: the kassa proxy
 * ({@link createStripeProxyBackend}) or the merchant's own, which holds the secret key.
 * @packageDocumentation
 */
import { type Clock, systemClock } from '../../../clock.js';
import { KassaError } from '../../../errors.js';
import type {
  AttemptRef,
  CancelResult,
  EntryMode,
  InquiryResult,
  PaymentOutcome,
  PaymentProvider,
  PaymentRequest,
} from '../../types.js';
import {
  attempt,
  authCodeOf,
  cardOf,
  codeOf,
  type FetchLike,
  fromMinor,
  refOf,
  send,
  sleep,
  TransportError,
  toMinor,
} from '../terminal-kit.js';

/** The parts of a Stripe PaymentIntent kassa reads (`latest_charge` expanded when the backend can). */
export interface StripeIntent {
  readonly id: string;
  readonly object?: 'payment_intent';
  readonly status: string;
  readonly amount: number;
  readonly amount_received?: number;
  readonly currency: string;
  readonly client_secret?: string | null;
  readonly metadata?: Readonly<Record<string, string>>;
  readonly latest_charge?:
    | string
    | null
    | {
        readonly id: string;
        readonly amount_captured?: number;
        readonly payment_method_details?: {
          readonly card_present?: {
            readonly brand?: string | null;
            readonly last4?: string | null;
            readonly read_method?: string | null;
            readonly receipt?: { readonly authorization_code?: string | null } | null;
          } | null;
        } | null;
      };
  readonly amount_details?: { readonly tip?: { readonly amount?: number | null } | null } | null;
  readonly last_payment_error?: {
    readonly code?: string;
    readonly decline_code?: string;
    readonly message?: string;
  } | null;
}

/** A Stripe refund as the backend returns it, or Stripe's error for a refused one. */
export type StripeRefundResult =
  | { readonly id: string; readonly status: string; readonly amount: number; readonly currency: string }
  | { readonly error: { readonly code?: string; readonly message?: string } };

/** A Terminal reader as the API returns it (server-driven integration). */
export interface StripeReader {
  readonly id: string;
  readonly status?: 'online' | 'offline' | null;
  readonly action?: {
    readonly type: string;
    readonly status: 'in_progress' | 'succeeded' | 'failed';
    readonly failure_code?: string | null;
    readonly failure_message?: string | null;
    readonly process_payment_intent?: { readonly payment_intent: string | { readonly id: string } };
  } | null;
}

/**
 * What the adapters need from the merchant's server. Every call that creates is idempotent
 * under the key it is given; none of them ever holds a secret in the browser.
 */
export interface StripeBackend {
  /** Creates the intent of an attempt, or returns the one already created under the attempt id. */
  createIntent(input: {
    readonly attemptId: string;
    readonly saleId: string;
    /** Minor units, the tip included. */
    readonly amount: number;
    readonly currency: string;
    /** The part of `amount` that is a tip, kept in the intent's metadata so an inquiry can split it again. */
    readonly tip?: number;
  }): Promise<StripeIntent>;
  /** The intent of an attempt, by id or by the attempt id in its metadata; undefined when none exists. */
  findIntent(input: {
    readonly attemptId: string;
    readonly intentId?: string;
  }): Promise<StripeIntent | undefined>;
  /** Cancels an intent; answers the intent as it then stands (a succeeded one stays succeeded). */
  cancelIntent(input: { readonly intentId: string }): Promise<StripeIntent>;
  /** Refunds part of an intent, idempotently under `refundKey`. */
  refund(input: {
    readonly intentId: string;
    readonly amount: number;
    readonly refundKey: string;
  }): Promise<StripeRefundResult>;
  /** Server-driven: hands the intent to a smart reader. */
  processOnReader?(input: {
    readonly readerId: string;
    readonly intentId: string;
    readonly attemptId: string;
    readonly skipTipping?: boolean;
  }): Promise<StripeReader>;
  /** Server-driven: cancels what the reader is doing. */
  cancelReaderAction?(input: { readonly readerId: string }): Promise<StripeReader>;
  /** Server-driven: the reader and its current action. */
  getReader?(input: { readonly readerId: string }): Promise<StripeReader>;
}

/**
 * A client of the kassa proxy's Stripe routes (see `kassa/payments/proxy`). `url` is where
 * the proxy is mounted (`'/kassa'`); `headers` authenticate the till to it.
 */
export function createStripeProxyBackend(options: {
  readonly url: string;
  readonly fetch?: FetchLike;
  readonly headers?: Readonly<Record<string, string>>;
  readonly timeoutMs?: number;
}): StripeBackend {
  const fetchFn: FetchLike = options.fetch ?? ((i, init) => globalThis.fetch(i, init));
  const base = options.url.replace(/\/$/, '');
  const post = async <T>(path: string, body: unknown): Promise<T> => {
    const reply = await send(fetchFn, `${base}/stripe/${path}`, {
      method: 'POST',
      timeoutMs: options.timeoutMs ?? 20_000,
      headers: { 'content-type': 'application/json', ...options.headers },
      body: JSON.stringify(body),
    });
    if (reply.status >= 500)
      throw new TransportError(`The proxy answered ${reply.status}`, true, reply.status);
    if (reply.status === 404 && path === 'intents/find') return undefined as T;
    if (reply.status >= 400) {
      const error = (reply.body as { error?: { code?: string; message?: string } })?.error;
      if (path === 'refunds' && reply.status === 402) return { error: error ?? {} } as T;
      throw new KassaError(
        'payment.not_sent',
        `The proxy refused ${path}: ${error?.message ?? reply.status}`,
        {
          provider: 'stripe',
          code: error?.code,
        },
      );
    }
    return reply.body as T;
  };
  return {
    createIntent: (input) => post('intents', input),
    findIntent: (input) => post('intents/find', input),
    cancelIntent: (input) => post('intents/cancel', input),
    refund: (input) => post('refunds', input),
    processOnReader: (input) => post('readers/process', input),
    cancelReaderAction: (input) => post('readers/cancel', input),
    getReader: (input) => post('readers/get', input),
  };
}

const READ_METHOD: Record<string, EntryMode> = {
  contact_emv: 'chip',
  contactless_emv: 'contactless',
  contactless_magstripe_mode: 'contactless',
  magnetic_stripe_track2: 'swipe',
  magnetic_stripe_fallback: 'swipe',
};

/**
 * The outcome an intent stands for, or undefined while it can still be paid: `succeeded`
 * (and `requires_capture`) approves; `canceled` cancels; `requires_payment_method` after a
 * failed try declines with Stripe's decline code.
 */
export function stripeIntentOutcome(intent: StripeIntent): PaymentOutcome | undefined {
  const currency = intent.currency.toUpperCase();
  const providerRef = refOf(intent.id);
  if (intent.status === 'succeeded' || intent.status === 'requires_capture') {
    const charge = typeof intent.latest_charge === 'object' ? intent.latest_charge : undefined;
    const cp = charge?.payment_method_details?.card_present;
    const card = cardOf(cp?.brand, cp?.last4, READ_METHOD[cp?.read_method ?? ''] ?? 'unknown');
    const authCode = authCodeOf(cp?.receipt?.authorization_code);
    // A tip chosen on the reader is in amount_details; one entered at the till is in the metadata.
    const tip = intent.amount_details?.tip?.amount ?? Number(intent.metadata?.[STRIPE_TIP_METADATA] ?? 0);
    const received =
      intent.status === 'succeeded' ? (intent.amount_received ?? intent.amount) : intent.amount;
    return {
      status: 'approved',
      amount: fromMinor(received - tip, currency),
      ...(tip > 0 ? { tip: fromMinor(tip, currency) } : {}),
      ...(card ? { card } : {}),
      ...(authCode ? { authCode } : {}),
      ...(providerRef ? { providerRef } : {}),
    };
  }
  if (intent.status === 'canceled') return { status: 'canceled', ...(providerRef ? { providerRef } : {}) };
  if (intent.status === 'requires_payment_method' && intent.last_payment_error) {
    const e = intent.last_payment_error;
    return {
      status: 'declined',
      reasonCode: codeOf(e.decline_code ?? e.code, 'card_declined'),
      ...(e.message ? { message: e.message.slice(0, 200) } : {}),
      ...(providerRef ? { providerRef } : {}),
    };
  }
  return undefined;
}

/** The metadata key holding the attempt id (what the proxy writes and searches by). */
export const STRIPE_ATTEMPT_METADATA = 'kassa_attempt';
/** The metadata key holding a tip entered at the till, in minor units. */
export const STRIPE_TIP_METADATA = 'kassa_tip';

function common(
  id: string,
  backend: StripeBackend,
  intents: Map<string, string>,
): Pick<PaymentProvider, 'inquire' | 'refund'> & {
  find(ref: AttemptRef): Promise<StripeIntent | undefined>;
} {
  const find = (ref: AttemptRef) => {
    const intentId =
      intents.get(ref.attemptId) ?? (ref.providerRef?.startsWith('pi_') ? ref.providerRef : undefined);
    return backend.findIntent({ attemptId: ref.attemptId, ...(intentId ? { intentId } : {}) });
  };
  return {
    find,
    async inquire(ref): Promise<InquiryResult> {
      const intent = await find(ref);
      if (!intent) return { status: 'not_found' };
      intents.set(ref.attemptId, intent.id);
      return stripeIntentOutcome(intent) ?? { status: 'in_progress' };
    },
    async refund(request): Promise<PaymentOutcome> {
      const intent = await find(request);
      if (!intent)
        return { status: 'failed', reason: `No Stripe payment is known for ${request.attemptId} at ${id}` };
      let result: StripeRefundResult;
      try {
        result = await backend.refund({
          intentId: intent.id,
          amount: toMinor(request.amount, request.currency),
          refundKey: request.refundKey,
        });
      } catch (e) {
        if (e instanceof KassaError || (e instanceof TransportError && !e.sent))
          return { status: 'failed', reason: String((e as Error).message).slice(0, 200) };
        return { status: 'unknown', reason: String((e as Error).message).slice(0, 200) };
      }
      if ('error' in result) {
        return {
          status: 'declined',
          reasonCode: codeOf(result.error.code, 'refund_refused'),
          ...(result.error.message ? { message: result.error.message.slice(0, 200) } : {}),
        };
      }
      if (result.status === 'failed' || result.status === 'canceled') {
        return {
          status: 'declined',
          reasonCode: result.status,
          ...(refOf(result.id) ? { providerRef: result.id } : {}),
        };
      }
      return {
        status: 'approved',
        amount: fromMinor(result.amount, result.currency.toUpperCase()),
        ...(refOf(result.id) ? { providerRef: result.id } : {}),
      };
    },
  };
}

async function createIntent(backend: StripeBackend, request: PaymentRequest): Promise<StripeIntent> {
  let amount: number;
  let tip = 0;
  try {
    tip = request.tip ? toMinor(request.tip, request.currency) : 0;
    amount = toMinor(request.amount, request.currency) + tip;
  } catch (e) {
    throw new KassaError('payment.not_sent', (e as Error).message);
  }
  try {
    return await backend.createIntent({
      attemptId: request.attemptId,
      saleId: request.saleId,
      amount,
      currency: request.currency.toLowerCase(),
      ...(tip > 0 ? { tip } : {}),
    });
  } catch (e) {
    if (e instanceof TransportError && !e.sent) throw new KassaError('payment.not_sent', e.message);
    throw e;
  }
}

/** The error shape of Stripe's JS SDK (`ErrorResponse['error']`). */
export interface StripeSdkError {
  readonly code?: string;
  readonly message: string;
  readonly decline_code?: string;
  readonly payment_intent?: unknown;
}

/**
 * The methods of Stripe's JS SDK `Terminal` object the adapter uses. Stripe's own class is
 * assignable to it (the tests check this against `@stripe/terminal-js`'s declarations).
 */
export interface StripeTerminalSdk {
  collectPaymentMethod(
    clientSecret: string,
    options?: { config_override?: { skip_tipping?: boolean | null } },
  ): Promise<{ error: StripeSdkError } | { paymentIntent: unknown }>;
  processPayment(intent: never): Promise<{ error: StripeSdkError } | { paymentIntent: unknown }>;
  cancelCollectPaymentMethod(): Promise<unknown>;
  setReaderDisplay(request: {
    type?: string | null;
    cart?: {
      line_items?: { description?: string | null; amount?: number | null; quantity?: number | null }[] | null;
      tax?: number | null;
      total?: number | null;
      currency?: string | null;
    } | null;
  }): Promise<unknown>;
  clearReaderDisplay(): Promise<unknown>;
  getConnectionStatus(): string;
}

/** A cart line for the reader's display. */
export interface StripeDisplayLine {
  readonly description: string;
  /** Decimal amount of the line, in the payment's currency. */
  readonly amount: string;
  readonly quantity: number;
}

/** Options of {@link createStripeTerminal}. */
export interface StripeTerminalOptions {
  /** Provider id; default `'stripe-terminal'`. */
  readonly id?: string;
  /** The `Terminal` from `StripeTerminal.create(...)`, with a reader already connected. */
  readonly terminal: StripeTerminalSdk;
  readonly backend: StripeBackend;
  /** Lines to show on the reader while the customer pays (`setReaderDisplay`); none by default. */
  readonly display?: (
    request: PaymentRequest,
  ) => { lines: readonly StripeDisplayLine[]; tax?: string } | undefined;
  /** Lets the reader ask for a tip (configured in the Stripe Dashboard); default false. */
  readonly tipping?: boolean;
}

/** The Stripe Terminal JS provider; wire `readerDisconnected` to `onUnexpectedReaderDisconnect`. */
export interface StripeTerminalProvider extends PaymentProvider {
  /** Call from `StripeTerminal.create({ onUnexpectedReaderDisconnect })`: ends the attempt in flight by asking Stripe. */
  readerDisconnected(): void;
}

const sdkError = (r: unknown): StripeSdkError | undefined =>
  typeof r === 'object' && r !== null && 'error' in r ? (r as { error: StripeSdkError }).error : undefined;

/**
 * Creates the browser-side Stripe Terminal provider around the app's `Terminal` object.
 * `start` creates (or finds again) the attempt's payment intent on the server, shows the
 * cart on the reader, collects and processes. A processing error whose intent still
 * requires a payment method is a decline; an intent lost to a network error is asked for
 * again on the server, never created anew.
 * @example
 * ```ts
 * import { loadStripeTerminal } from '@stripe/terminal-js';
 * import { createStripeProxyBackend, createStripeTerminal } from 'kassa/payments/stripe-terminal';
 * const backend = createStripeProxyBackend({ url: '/kassa' });
 * let provider: StripeTerminalProvider;
 * const terminal = (await loadStripeTerminal())!.create({
 *   onFetchConnectionToken: () => fetch('/kassa/stripe/connection-token', { method: 'POST' }).then((r) => r.json()).then((j) => j.secret),
 *   onUnexpectedReaderDisconnect: () => provider.readerDisconnected(),
 * });
 * provider = createStripeTerminal({ terminal, backend });
 * ```
 */
export function createStripeTerminal(options: StripeTerminalOptions): StripeTerminalProvider {
  if (!options?.terminal || !options.backend) {
    throw new KassaError('validation.invalid_input', 'A Stripe Terminal object and a backend are required', {
      path: [options?.terminal ? 'backend' : 'terminal'],
    });
  }
  const { terminal, backend } = options;
  const id = options.id ?? 'stripe-terminal';
  const intents = new Map<string, string>();
  let current: { attemptId: string; disconnected: (reason: string) => void } | undefined;
  // A cancel that arrives before the reader starts collecting must stop it from starting.
  const cancelRequested = new Set<string>();
  const base = common(id, backend, intents);

  /** Settles with the SDK's answer, or rejects when the reader disconnects first. */
  const orDisconnect = <T>(p: Promise<T>, attemptId: string): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      current = { attemptId, disconnected: (reason) => reject(new Error(reason)) };
      p.then(resolve, reject);
    });

  const provider: StripeTerminalProvider = {
    id,
    capabilities: {
      method: 'card',
      partialApproval: false,
      tips: true,
      refunds: true,
      void: false,
      capture: false,
    },
    readerDisconnected() {
      current?.disconnected('The reader disconnected');
    },
    start(request, signal) {
      return attempt(async (progress) => {
        const intent = await createIntent(backend, request);
        intents.set(request.attemptId, intent.id);
        const settled = stripeIntentOutcome(intent);
        if (settled) return settled; // a replay of a finished attempt answers what happened
        const display = options.display?.(request);
        if (display) {
          await terminal
            .setReaderDisplay({
              type: 'cart',
              cart: {
                line_items: display.lines.map((l) => ({
                  description: l.description,
                  amount: toMinor(l.amount, request.currency),
                  quantity: l.quantity,
                })),
                ...(display.tax ? { tax: toMinor(display.tax, request.currency) } : {}),
                total: intent.amount,
                currency: request.currency.toLowerCase(),
              },
            })
            .catch(() => undefined); // the display is a courtesy; the payment does not depend on it
        }
        if (cancelRequested.has(request.attemptId)) {
          const after = await backend.cancelIntent({ intentId: intent.id });
          const final = stripeIntentOutcome(after);
          if (final) return final;
        }
        progress({ type: 'progress', stage: 'waiting_for_card' });
        const resolveByServer = async (reason: string): Promise<PaymentOutcome> => {
          // Ask Stripe about the same intent; a new one is never created for this attempt.
          const again = await backend.findIntent({ attemptId: request.attemptId, intentId: intent.id });
          const outcome = again && stripeIntentOutcome(again);
          if (outcome) return outcome;
          if (again?.status === 'requires_payment_method') {
            // Nothing was charged: cancel the intent so it cannot be paid later, then report the failure.
            const canceled = await backend.cancelIntent({ intentId: intent.id });
            const final = stripeIntentOutcome(canceled);
            if (final && final.status !== 'canceled') return final;
            return { status: 'failed', reason };
          }
          throw new Error(reason);
        };
        let collected: Awaited<ReturnType<StripeTerminalSdk['collectPaymentMethod']>>;
        try {
          collected = await orDisconnect(
            terminal.collectPaymentMethod(intent.client_secret ?? '', {
              config_override: { skip_tipping: !options.tipping },
            }),
            request.attemptId,
          );
        } catch (e) {
          return resolveByServer((e as Error).message);
        }
        const collectError = sdkError(collected);
        if (collectError) {
          if (collectError.code === 'canceled') {
            await backend.cancelIntent({ intentId: intent.id }).catch(() => undefined);
            return { status: 'canceled', ...(refOf(intent.id) ? { providerRef: intent.id } : {}) };
          }
          return resolveByServer(`Collecting failed: ${collectError.code ?? collectError.message}`);
        }
        progress({ type: 'progress', stage: 'processing' });
        let processed: Awaited<ReturnType<StripeTerminalSdk['processPayment']>>;
        try {
          processed = await orDisconnect(
            terminal.processPayment((collected as { paymentIntent: unknown }).paymentIntent as never),
            request.attemptId,
          );
        } catch (e) {
          return resolveByServer((e as Error).message);
        } finally {
          current = undefined;
        }
        const processError = sdkError(processed);
        if (processError) {
          const pi = processError.payment_intent as StripeIntent | undefined;
          if (pi?.status === 'requires_payment_method') {
            return {
              status: 'declined',
              reasonCode: codeOf(processError.decline_code ?? processError.code, 'card_declined'),
              message: processError.message.slice(0, 200),
              ...(refOf(intent.id) ? { providerRef: intent.id } : {}),
            };
          }
          return resolveByServer(`Processing failed: ${processError.code ?? processError.message}`);
        }
        // The SDK's intent does not carry the expanded charge: read it on the server.
        const done = await backend.findIntent({ attemptId: request.attemptId, intentId: intent.id });
        const outcome =
          (done && stripeIntentOutcome(done)) ??
          stripeIntentOutcome((processed as { paymentIntent: StripeIntent }).paymentIntent);
        if (display) await terminal.clearReaderDisplay().catch(() => undefined);
        if (outcome) return outcome;
        throw new Error(`The intent is ${done?.status ?? 'unknown'} after processing`);
      }, signal);
    },
    inquire: base.inquire,
    refund: base.refund,
    async cancel(ref): Promise<CancelResult> {
      cancelRequested.add(ref.attemptId);
      if (current?.attemptId === ref.attemptId)
        await terminal.cancelCollectPaymentMethod().catch(() => undefined);
      const intent = await base.find(ref).catch(() => undefined);
      if (!intent) return 'unknown';
      if (intent.status === 'succeeded' || intent.status === 'requires_capture') return 'too_late';
      if (intent.status === 'canceled') return 'canceled';
      const after = await backend.cancelIntent({ intentId: intent.id }).catch(() => undefined);
      if (after?.status === 'canceled') return 'canceled';
      if (after?.status === 'succeeded') return 'too_late';
      return 'unknown';
    },
  };
  return provider;
}

/** Options of {@link createStripeServerDrivenTerminal}. */
export interface StripeServerDrivenOptions {
  /** Provider id; default `'stripe-reader'`. */
  readonly id?: string;
  /** The smart reader (`tmr_...`). */
  readonly readerId: string;
  /** A backend with the reader calls (the kassa proxy's has them). */
  readonly backend: StripeBackend;
  /** Milliseconds between reads of the intent while the reader works; default 1000. */
  readonly pollMs?: number;
  /** Lets the reader ask for a tip; default false. */
  readonly tipping?: boolean;
  readonly clock?: Clock;
}

/**
 * Creates the server-driven Stripe Terminal provider: the intent is handed to a smart
 * reader with `process_payment_intent` and followed until it succeeds, is declined or is
 * canceled. A reader that goes offline leaves the attempt running; the session's timeout
 * and inquiries (which read the intent) settle it.
 */
export function createStripeServerDrivenTerminal(options: StripeServerDrivenOptions): PaymentProvider {
  const { backend, readerId } = options;
  if (!backend?.processOnReader || !backend.cancelReaderAction || !backend.getReader || !readerId) {
    throw new KassaError(
      'validation.invalid_input',
      'A reader id and a backend with processOnReader, cancelReaderAction and getReader are required',
      { path: ['backend'] },
    );
  }
  const id = options.id ?? 'stripe-reader';
  const clock = options.clock ?? systemClock;
  const pollMs = options.pollMs ?? 1000;
  const intents = new Map<string, string>();
  const base = common(id, backend, intents);
  return {
    id,
    capabilities: {
      method: 'card',
      partialApproval: false,
      tips: true,
      refunds: true,
      void: false,
      capture: false,
    },
    start(request, signal) {
      return attempt(async (progress, inner) => {
        const intent = await createIntent(backend, request);
        intents.set(request.attemptId, intent.id);
        const settled = stripeIntentOutcome(intent);
        if (settled) return settled;
        try {
          await backend.processOnReader!({
            readerId,
            intentId: intent.id,
            attemptId: request.attemptId,
            skipTipping: !options.tipping,
          });
        } catch (e) {
          // The reader never got the intent (busy, offline): nothing can be charged on it.
          if (e instanceof KassaError) {
            await backend.cancelIntent({ intentId: intent.id }).catch(() => undefined);
            throw new KassaError('payment.not_sent', e.message, e.details);
          }
          // No answer (a 5xx, a timeout): the reader may have the intent; the intent will tell.
        }
        progress({ type: 'progress', stage: 'waiting_for_card' });
        for (;;) {
          await sleep(clock, pollMs, inner);
          const now = await backend
            .findIntent({ attemptId: request.attemptId, intentId: intent.id })
            .catch(() => undefined);
          if (!now) continue;
          if (now.status === 'processing') progress({ type: 'progress', stage: 'processing' });
          const outcome = stripeIntentOutcome(now);
          if (outcome) return outcome;
          const reader = await backend.getReader!({ readerId }).catch(() => undefined);
          const action = reader?.action;
          const target = action?.process_payment_intent?.payment_intent;
          const forThis = (typeof target === 'string' ? target : target?.id) === intent.id;
          if (forThis && action?.status === 'failed') {
            // The intent read above may predate the failure: read it again before deciding.
            const fresh = await backend.findIntent({ attemptId: request.attemptId, intentId: intent.id });
            const settled = fresh && stripeIntentOutcome(fresh);
            if (settled) return settled;
            // Canceled on the reader (or a timeout there) without a card decline: nothing was charged.
            const after = await backend.cancelIntent({ intentId: intent.id }).catch(() => undefined);
            if (after?.status === 'canceled')
              return { status: 'canceled', ...(refOf(intent.id) ? { providerRef: intent.id } : {}) };
          }
        }
      }, signal);
    },
    inquire: base.inquire,
    refund: base.refund,
    async cancel(ref): Promise<CancelResult> {
      await backend.cancelReaderAction!({ readerId }).catch(() => undefined);
      const intent = await base.find(ref).catch(() => undefined);
      if (!intent) return 'unknown';
      if (intent.status === 'succeeded' || intent.status === 'requires_capture') return 'too_late';
      if (intent.status === 'canceled') return 'canceled';
      const after = await backend.cancelIntent({ intentId: intent.id }).catch(() => undefined);
      if (after?.status === 'canceled') return 'canceled';
      if (after?.status === 'succeeded') return 'too_late';
      return 'unknown';
    },
  };
}
