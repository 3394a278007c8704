/**
 * `kassa/payments/adyen-terminal`: Adyen payment terminals through the Terminal API (nexo
 * SaleToPOI messages), either on the shop's network (local API, messages encrypted with
 * the key shared with the terminal) or through Adyen's cloud (`/sync`, with the API key on
 * the server or behind the kassa proxy). Payment, abort, transaction status for recovery,
 * reversal for voids and refunds. Uses `fetch` and WebCrypto only.
 * @packageDocumentation
 */
import * as z from 'zod/mini';
import { type Clock, systemClock } from '../../../clock.js';
import { KassaError, parseInput } from '../../../errors.js';
import type {
  AttemptRef,
  CancelResult,
  EntryMode,
  InquiryResult,
  PaymentOutcome,
  PaymentProvider,
  RefundRequest,
} from '../../types.js';
import {
  attempt,
  authCodeOf,
  cardOf,
  type FetchLike,
  fromMajorNumber,
  type Reply,
  refOf,
  send,
  sleep,
  TransportError,
  toMajorNumber,
} from '../terminal-kit.js';
import { type AdyenEncryptionKey, decryptNexo, encryptNexo } from './crypto.js';

export type { AdyenEncryptionKey } from './crypto.js';

/** Options of {@link createAdyenTerminal}. */
export interface AdyenTerminalOptions {
  /** Provider id within a payment session; default `'adyen-terminal'`. */
  readonly id?: string;
  /**
   * `local`: the terminal's own endpoint on the shop network (`https://<ip>:8443/nexo`), with
   * `encryption`. `cloud`: Adyen's `/sync` endpoint with `apiKey` (server side), or the kassa
   * proxy's Adyen route without a key (browser side).
   */
  readonly mode: 'local' | 'cloud';
  readonly endpoint: string;
  /** The terminal's POIID (`'V400m-324688179'`). */
  readonly poiId: string;
  /** This till's SaleID: unique per register of the merchant. */
  readonly saleId: string;
  /** Cloud only, server side only: the API key (sent as `x-api-key`). */
  readonly apiKey?: string;
  /** Local only: the key shared with the terminal. Messages go unencrypted when absent (test setups). */
  readonly encryption?: AdyenEncryptionKey;
  /** Deadline of a payment request; default 150 000 ms (the terminal gives up after 120 s of waiting for a card). */
  readonly paymentTimeoutMs?: number;
  /** Deadline of status, abort and reversal requests; default 15 000 ms. */
  readonly requestTimeoutMs?: number;
  /** Milliseconds between transaction status checks after an abort; default 1000. */
  readonly pollMs?: number;
  readonly fetch?: FetchLike;
  readonly clock?: Clock;
}

const OptionsSchema = z.strictObject({
  id: z.optional(z.string().check(z.regex(/^[A-Za-z0-9_.:-]{1,128}$/))),
  mode: z.enum(['local', 'cloud']),
  endpoint: z.string().check(z.minLength(1)),
  poiId: z.string().check(z.minLength(1)),
  saleId: z.string().check(z.minLength(1)),
  apiKey: z.optional(z.string().check(z.minLength(1))),
  encryption: z.optional(
    z.strictObject({
      keyIdentifier: z.string().check(z.minLength(1)),
      passphrase: z.string().check(z.minLength(1)),
      keyVersion: z.number().check(z.int(), z.minimum(0)),
    }),
  ),
  paymentTimeoutMs: z.optional(z.number().check(z.int(), z.minimum(1))),
  requestTimeoutMs: z.optional(z.number().check(z.int(), z.minimum(1))),
  pollMs: z.optional(z.number().check(z.int(), z.minimum(1))),
  fetch: z.optional(z.custom<FetchLike>((v) => typeof v === 'function')),
  clock: z.optional(z.custom<Clock>((v) => typeof v === 'object' && v !== null)),
});

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/**
 * The ServiceID of an attempt's payment: 10 characters (the nexo maximum) from a SHA-256
 * of the attempt id, so that after a crash the till can name the payment it sent (for
 * transaction status and abort) from the journaled attempt id alone.
 */
export async function adyenServiceId(attemptId: string): Promise<string> {
  const digest = new Uint8Array(
    await globalThis.crypto.subtle.digest('SHA-256', new TextEncoder().encode(attemptId)),
  );
  let out = '';
  for (let i = 0; i < 10; i++) out += ALPHABET[digest[i]! % ALPHABET.length];
  return out;
}

const randomServiceId = () => {
  const bytes = globalThis.crypto.getRandomValues(new Uint8Array(10));
  let out = '';
  for (const b of bytes) out += ALPHABET[b % ALPHABET.length];
  return out;
};

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (typeof v === 'object' && v !== null ? (v as Json) : {});

const ENTRY: Record<string, EntryMode> = {
  ICC: 'chip',
  Contactless: 'contactless',
  Tapped: 'contactless',
  MagStripe: 'swipe',
  Keyed: 'manual',
  Manual: 'manual',
  Mobile: 'wallet',
};

/** Error conditions after which the card was refused: a decline, retry only as a new attempt. */
const DECLINES = new Set(['Refusal', 'WrongPIN', 'InvalidCard', 'PaymentRestriction', 'NotAllowed']);
/** Conditions where the terminal never ran the payment: nothing was charged. */
const NOT_RUN = new Set([
  'Busy',
  'DeviceOut',
  'UnavailableDevice',
  'UnavailableService',
  'UnreachableHost',
  'LoggedOut',
  'MessageFormat',
  'InsertedCard',
]);

/** The POI transaction a reversal names: its id and timestamp, kept together in `providerRef`. */
const poiRef = (id: string, timestamp: string) => refOf(`${id}_${timestamp}`);
function parsePoiRef(ref: string | undefined): { TransactionID: string; TimeStamp: string } | undefined {
  if (!ref) return undefined;
  const cut = ref.lastIndexOf('_');
  if (cut <= 0) return undefined;
  return { TransactionID: ref.slice(0, cut), TimeStamp: ref.slice(cut + 1) };
}

function additional(text: unknown): URLSearchParams {
  return new URLSearchParams(typeof text === 'string' ? text : '');
}

/**
 * Maps a nexo PaymentResponse to an outcome: `Success` approves, `Partial` partly approves,
 * `Failure` declines (refusal, wrong PIN, invalid card, restriction), cancels (`Cancel`,
 * `Aborted`) or fails (the terminal never ran it: busy, out of order, unreachable).
 * @internal
 */
export function adyenOutcome(
  payment: unknown,
  requested: { amount: string; currency: string },
): PaymentOutcome {
  const p = obj(payment);
  const response = obj(p.Response);
  const result = response.Result;
  const condition = typeof response.ErrorCondition === 'string' ? response.ErrorCondition : undefined;
  const poi = obj(obj(p.POIData).POITransactionID);
  const providerRef =
    typeof poi.TransactionID === 'string' && typeof poi.TimeStamp === 'string'
      ? poiRef(poi.TransactionID, poi.TimeStamp)
      : undefined;
  if (result === 'Success' || result === 'Partial') {
    const r = obj(p.PaymentResult);
    const amounts = obj(r.AmountsResp);
    const currency = typeof amounts.Currency === 'string' ? amounts.Currency : requested.currency;
    const amount =
      typeof amounts.AuthorizedAmount === 'number' || typeof amounts.AuthorizedAmount === 'string'
        ? fromMajorNumber(amounts.AuthorizedAmount, currency)
        : requested.amount;
    const tip =
      typeof amounts.TipAmount === 'number' && amounts.TipAmount > 0
        ? fromMajorNumber(amounts.TipAmount, currency)
        : undefined;
    const cardData = obj(obj(r.PaymentInstrumentData).CardData);
    const pan = typeof cardData.MaskedPan === 'string' ? cardData.MaskedPan : '';
    const modes = Array.isArray(cardData.EntryMode) ? cardData.EntryMode : [];
    const card = cardOf(cardData.PaymentBrand, pan.slice(-4), ENTRY[String(modes[0])] ?? 'unknown');
    const authCode = authCodeOf(obj(r.PaymentAcquirerData).ApprovalCode);
    const approval = {
      amount,
      ...(tip ? { tip } : {}),
      ...(card ? { card } : {}),
      ...(authCode ? { authCode } : {}),
      ...(providerRef ? { providerRef } : {}),
    };
    if (result === 'Partial')
      return { status: 'partially_approved', requested: requested.amount, ...approval };
    return { status: 'approved', ...approval };
  }
  const extra = additional(response.AdditionalResponse);
  if (condition === 'Cancel' || condition === 'Aborted') {
    return { status: 'canceled', ...(providerRef ? { providerRef } : {}) };
  }
  if (condition && NOT_RUN.has(condition)) {
    return { status: 'failed', reason: `The terminal did not run the payment: ${condition}` };
  }
  if (condition && !DECLINES.has(condition)) {
    // InProgress or a condition this adapter does not know: only an inquiry can tell.
    return { status: 'unknown', reason: `The terminal answered ${condition}` };
  }
  const message = extra.get('message') ?? extra.get('refusalReason') ?? undefined;
  return {
    status: 'declined',
    reasonCode: (extra.get('refusalReasonRaw') ?? condition ?? 'Refusal').slice(0, 40),
    ...(message ? { message: message.slice(0, 200) } : {}),
    ...(providerRef ? { providerRef } : {}),
  };
}

/** The Adyen terminal provider. */
export interface AdyenTerminal extends PaymentProvider {
  readonly void: NonNullable<PaymentProvider['void']>;
}

/**
 * Creates the Adyen terminal provider.
 * @example
 * ```ts
 * import { createAdyenTerminal } from 'kassa/payments/adyen-terminal';
 * const adyen = createAdyenTerminal({
 *   mode: 'local', endpoint: 'https://192.168.1.20:8443/nexo', poiId: 'V400m-324688179', saleId: 'till-1',
 *   encryption: { keyIdentifier: 'kassa', passphrase: secret, keyVersion: 1 },
 * });
 * ```
 * @throws KassaError `validation.invalid_input` for bad options
 */
export function createAdyenTerminal(options: AdyenTerminalOptions): AdyenTerminal {
  const o = parseInput(OptionsSchema, options, 'Adyen terminal options');
  const fetchFn: FetchLike = o.fetch ?? ((i, init) => globalThis.fetch(i, init));
  const clock = o.clock ?? systemClock;
  const pollMs = o.pollMs ?? 1000;
  const requestTimeoutMs = o.requestTimeoutMs ?? 15_000;
  const requests = new Map<string, { amount: string; currency: string }>();
  const voids = new Map<string, Promise<PaymentOutcome>>();

  const header = (category: string, serviceId: string) => ({
    ProtocolVersion: '3.0',
    MessageClass: 'Service',
    MessageCategory: category,
    MessageType: 'Request',
    SaleID: o.saleId,
    ServiceID: serviceId,
    POIID: o.poiId,
  });

  /** Sends one SaleToPOIRequest; resolves with the SaleToPOIResponse (undefined for an empty answer). */
  async function exchange(body: Json, timeoutMs: number): Promise<Json | undefined> {
    const message = { SaleToPOIRequest: body };
    let wire: unknown = message;
    if (o.mode === 'local' && o.encryption) {
      const sealed = await encryptNexo(JSON.stringify(message), o.encryption);
      wire = { SaleToPOIRequest: { MessageHeader: body.MessageHeader, ...sealed } };
    }
    const reply: Reply = await send(fetchFn, o.endpoint, {
      method: 'POST',
      timeoutMs,
      headers: {
        'content-type': 'application/json',
        ...(o.mode === 'cloud' && o.apiKey ? { 'x-api-key': o.apiKey } : {}),
      },
      body: JSON.stringify(wire),
    });
    if (reply.status >= 500)
      throw new TransportError(`The terminal API answered ${reply.status}`, true, reply.status);
    if (reply.status === 401 || reply.status === 403) {
      throw new KassaError('payment.not_sent', `The terminal API refused the credentials (${reply.status})`);
    }
    if (reply.status >= 400)
      throw new KassaError('payment.not_sent', `The terminal API refused the request (${reply.status})`);
    if (reply.text.length === 0 || reply.text === 'ok') return undefined;
    let answer = obj(obj(reply.body).SaleToPOIResponse);
    if (o.mode === 'local' && o.encryption && 'NexoBlob' in answer) {
      answer = obj(obj(JSON.parse(await decryptNexo(answer, o.encryption))).SaleToPOIResponse);
    }
    // An event notification in place of a response means the terminal refused the message.
    if (Object.keys(answer).length === 0) {
      const event = obj(obj(reply.body).SaleToPOIRequest).EventNotification;
      if (event)
        throw new KassaError(
          'payment.not_sent',
          `The terminal refused the message: ${JSON.stringify(event).slice(0, 150)}`,
        );
      throw new TransportError('The terminal answered without a SaleToPOIResponse', true);
    }
    return answer;
  }

  /** Asks the terminal about the payment of an attempt. */
  async function status(
    ref: AttemptRef,
  ): Promise<{ state: 'done'; payment: Json } | { state: 'in_progress' | 'not_found' }> {
    const answer = await exchange(
      {
        MessageHeader: header('TransactionStatus', randomServiceId()),
        TransactionStatusRequest: {
          ReceiptReprintFlag: false,
          DocumentQualifier: ['CashierReceipt', 'CustomerReceipt'],
          MessageReference: {
            MessageCategory: 'Payment',
            SaleID: o.saleId,
            ServiceID: await adyenServiceId(ref.attemptId),
          },
        },
      },
      requestTimeoutMs,
    );
    const r = obj(answer?.TransactionStatusResponse);
    const response = obj(r.Response);
    if (response.Result === 'Success') {
      const payment = obj(obj(r.RepeatedMessageResponse).RepeatedResponseMessageBody).PaymentResponse;
      if (payment) return { state: 'done', payment: obj(payment) };
      return { state: 'in_progress' };
    }
    if (response.ErrorCondition === 'InProgress') return { state: 'in_progress' };
    if (response.ErrorCondition === 'NotFound') return { state: 'not_found' };
    throw new TransportError(`Transaction status failed: ${String(response.ErrorCondition)}`, true);
  }

  async function reverse(ref: AttemptRef, amount: string | undefined, currency: string | undefined) {
    let poi = parsePoiRef(ref.providerRef);
    if (!poi) {
      const s = await status(ref);
      if (s.state !== 'done')
        return { status: 'failed' as const, reason: 'The terminal knows no payment to reverse' };
      const id = obj(obj(s.payment.POIData).POITransactionID);
      poi = { TransactionID: String(id.TransactionID), TimeStamp: String(id.TimeStamp) };
    }
    const answer = await exchange(
      {
        MessageHeader: header('Reversal', randomServiceId()),
        ReversalRequest: {
          OriginalPOITransaction: { SaleID: o.saleId, POIID: o.poiId, POITransactionID: poi },
          ReversalReason: 'MerchantCancel',
          ...(amount !== undefined && currency !== undefined
            ? { ReversedAmount: toMajorNumber(amount, currency) }
            : {}),
        },
      },
      requestTimeoutMs,
    );
    const r = obj(answer?.ReversalResponse);
    const response = obj(r.Response);
    if (response.Result === 'Success') {
      const reversed = r.ReversedAmount;
      const cur = currency ?? requests.get(ref.attemptId)?.currency;
      const id = obj(obj(r.POIData).POITransactionID);
      const providerRef =
        typeof id.TransactionID === 'string' && typeof id.TimeStamp === 'string'
          ? poiRef(id.TransactionID, id.TimeStamp)
          : undefined;
      return {
        status: 'approved' as const,
        amount:
          (typeof reversed === 'number' || typeof reversed === 'string') && cur
            ? fromMajorNumber(reversed, cur)
            : (amount ?? '0'),
        ...(providerRef ? { providerRef } : {}),
      };
    }
    const extra = additional(response.AdditionalResponse);
    const message = extra.get('message');
    return {
      status: 'declined' as const,
      reasonCode: String(response.ErrorCondition ?? 'Refusal').slice(0, 40),
      ...(message ? { message: message.slice(0, 200) } : {}),
    };
  }

  const provider: AdyenTerminal = {
    id: o.id ?? 'adyen-terminal',
    capabilities: {
      method: 'card',
      partialApproval: true,
      tips: true,
      refunds: true,
      void: true,
      capture: false,
    },
    start(request, signal) {
      return attempt(async (progress) => {
        requests.set(request.attemptId, { amount: request.amount, currency: request.currency });
        const serviceId = await adyenServiceId(request.attemptId);
        // A resend under a known attempt asks before it pays: the first request may have gone through.
        const known = await status(request).catch(() => undefined);
        if (known?.state === 'done') return adyenOutcome(known.payment, request);
        if (known?.state === 'in_progress') throw new Error('The terminal is still running this payment');
        progress({ type: 'progress', stage: 'waiting_for_card' });
        let answer: Json | undefined;
        try {
          answer = await exchange(
            {
              MessageHeader: header('Payment', serviceId),
              PaymentRequest: {
                SaleData: {
                  SaleTransactionID: {
                    TransactionID: request.attemptId,
                    TimeStamp: new Date(clock.now()).toISOString(),
                  },
                  SaleReferenceID: request.saleId,
                  ...(request.allowPartial
                    ? { SaleToAcquirerData: 'tenderOption=AllowPartialAuthorisation' }
                    : {}),
                },
                PaymentTransaction: {
                  AmountsReq: {
                    Currency: request.currency,
                    RequestedAmount: toMajorNumber(request.amount, request.currency),
                    ...(request.tip !== undefined
                      ? { TipAmount: toMajorNumber(request.tip, request.currency) }
                      : {}),
                  },
                },
              },
            },
            o.paymentTimeoutMs ?? 150_000,
          );
        } catch (e) {
          if (e instanceof TransportError && !e.sent) throw new KassaError('payment.not_sent', e.message);
          throw e;
        }
        const payment = answer?.PaymentResponse;
        if (!payment) throw new Error('The terminal answered without a PaymentResponse');
        return adyenOutcome(payment, request);
      }, signal);
    },
    async inquire(ref): Promise<InquiryResult> {
      const s = await status(ref);
      if (s.state !== 'done') return { status: s.state };
      const req = requests.get(ref.attemptId);
      const amounts = obj(obj(obj(s.payment.PaymentResult).AmountsResp));
      const currency = typeof amounts.Currency === 'string' ? amounts.Currency : (req?.currency ?? 'EUR');
      return adyenOutcome(s.payment, req ?? { amount: '0', currency });
    },
    async cancel(ref): Promise<CancelResult> {
      try {
        await exchange(
          {
            MessageHeader: header('Abort', randomServiceId()),
            AbortRequest: {
              AbortReason: 'MerchantAbort',
              MessageReference: {
                MessageCategory: 'Payment',
                SaleID: o.saleId,
                ServiceID: await adyenServiceId(ref.attemptId),
              },
            },
          },
          requestTimeoutMs,
        );
      } catch {
        // The abort may not have arrived; the status below still tells where the payment stands.
      }
      for (let i = 0; i < 30; i++) {
        try {
          const s = await status(ref);
          if (s.state === 'not_found') return 'unknown';
          if (s.state === 'done') {
            const outcome = adyenOutcome(
              s.payment,
              requests.get(ref.attemptId) ?? { amount: '0', currency: 'EUR' },
            );
            if (outcome.status === 'approved' || outcome.status === 'partially_approved') return 'too_late';
            return 'canceled';
          }
        } catch {
          // keep asking
        }
        await sleep(clock, pollMs);
      }
      return 'unknown';
    },
    async refund(request: RefundRequest): Promise<PaymentOutcome> {
      const key = `refund:${request.refundKey}`;
      let run = voids.get(key);
      if (!run) {
        run = reverse(request, request.amount, request.currency).catch((e) => ({
          status: e instanceof TransportError && !e.sent ? ('failed' as const) : ('unknown' as const),
          reason: String((e as Error).message).slice(0, 200),
        }));
        voids.set(key, run);
      }
      const outcome = await run;
      // Only an answer, or a reversal that may have arrived, is kept; one never sent may be sent again.
      if (outcome.status === 'failed') voids.delete(key);
      return outcome;
    },
    async void(ref): Promise<PaymentOutcome> {
      const key = `void:${ref.key}`;
      let run = voids.get(key);
      if (!run) {
        run = reverse(ref, undefined, requests.get(ref.attemptId)?.currency).catch((e) => ({
          status: e instanceof TransportError && !e.sent ? ('failed' as const) : ('unknown' as const),
          reason: String((e as Error).message).slice(0, 200),
        }));
        voids.set(key, run);
      }
      const outcome = await run;
      // Only an answer, or a reversal that may have arrived, is kept; one never sent may be sent again.
      if (outcome.status === 'failed') voids.delete(key);
      return outcome;
    },
  };
  return provider;
}
