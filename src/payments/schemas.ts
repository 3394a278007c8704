import * as z from 'zod/mini';
import { containsCardData } from './card-data.js';

/*
 * Every schema of the payments API. Free text goes through `text()`, which refuses card
 * numbers and track data; no schema has a field for a PAN, track, CVV or PIN, and
 * test/payments/security.test.ts walks these schemas to prove it.
 */

const noCardData = z.refine<string>((v) => !containsCardData(v), {
  message: 'must not contain card data',
  params: { code: 'validation.invalid_input' },
});

/** Free text up to `max` characters that can never carry card data. @internal */
export function text(max: number) {
  return z.string().check(z.minLength(1), z.maxLength(max), noCardData);
}

/** An identifier: letters, digits and `_-.:`, up to 128 characters. */
export const IdSchema = z
  .string()
  .check(z.regex(/^[A-Za-z0-9_.:-]{1,128}$/, 'must be 1-128 letters, digits or _-.:'), noCardData);

/**
 * A non-negative decimal amount as a string (`'12.10'`), at most 12 integer digits and 6
 * decimals. Whether the decimals fit the currency is checked where the currency is known.
 */
export const AmountSchema = z.string().check(
  z.refine<string>((v) => /^\d{1,12}(\.\d{1,6})?$/.test(v), {
    message: 'must be a non-negative decimal string such as "12.10"',
    params: { code: 'validation.invalid_amount' },
  }),
  noCardData,
);

/** ISO 4217 alphabetic code. */
export const CurrencySchema = z.string().check(z.regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code'));

/** How the card was presented. */
export const EntryModeSchema = z.enum(['chip', 'contactless', 'swipe', 'manual', 'wallet', 'unknown']);

/** The only card data kassa keeps: brand, last four digits and how the card was presented. */
export const CardDetailsSchema = z.object({
  brand: z.string().check(z.regex(/^[a-z][a-z0-9_ -]{0,23}$/i, 'must be a card brand name'), noCardData),
  last4: z.string().check(z.regex(/^\d{4}$/, 'must be exactly four digits')),
  entryMode: z.optional(EntryModeSchema),
});

/** An authorisation code as printed on the receipt. */
export const AuthCodeSchema = z
  .string()
  .check(z.regex(/^[A-Za-z0-9-]{1,12}$/, 'must be 1-12 letters or digits'), noCardData);

const approvalFields = {
  amount: AmountSchema,
  tip: z.optional(AmountSchema),
  authCode: z.optional(AuthCodeSchema),
  card: z.optional(CardDetailsSchema),
  providerRef: z.optional(IdSchema),
};

/** What a provider answers about one attempt once it is over, or that it cannot tell. */
export const PaymentOutcomeSchema = z.discriminatedUnion('status', [
  z.object({ status: z.literal('approved'), ...approvalFields }),
  z.object({ status: z.literal('partially_approved'), requested: AmountSchema, ...approvalFields }),
  z.object({
    status: z.literal('declined'),
    reasonCode: text(40),
    message: z.optional(text(200)),
    providerRef: z.optional(IdSchema),
  }),
  z.object({ status: z.literal('canceled'), providerRef: z.optional(IdSchema) }),
  z.object({ status: z.literal('failed'), reason: text(200) }),
  z.object({ status: z.literal('unknown'), reason: text(200) }),
]);

/** What `inquire` answers: an outcome, or that the attempt is still running or was never seen. */
export const InquiryResultSchema = z.union([
  PaymentOutcomeSchema,
  z.object({ status: z.literal('in_progress') }),
  z.object({ status: z.literal('not_found') }),
]);

/** Stages a terminal reports while a payment runs. */
export const ProgressStageSchema = z.enum([
  'waiting_for_card',
  'card_read',
  'waiting_for_pin',
  'processing',
  'awaiting_entry',
  'drawer_open',
]);

/** One event of `start`: progress, then exactly one outcome. */
export const PaymentEventSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('progress'),
    stage: ProgressStageSchema,
    card: z.optional(CardDetailsSchema),
    message: z.optional(text(200)),
  }),
  z.object({ type: z.literal('outcome'), outcome: PaymentOutcomeSchema }),
]);

/** What the cashier keys in for a terminal that is not integrated. */
export const ManualEntrySchema = z.strictObject({
  authCode: AuthCodeSchema,
  brand: z.optional(CardDetailsSchema.shape.brand),
  last4: z.optional(CardDetailsSchema.shape.last4),
});

/** The request a provider gets; `attemptId` is the idempotency key, journaled before sending. */
export const PaymentRequestSchema = z.object({
  attemptId: IdSchema,
  saleId: IdSchema,
  amount: AmountSchema,
  currency: CurrencySchema,
  tip: z.optional(AmountSchema),
  allowPartial: z.boolean(),
  entry: z.optional(ManualEntrySchema),
});

/** Names one attempt at a provider. */
export const AttemptRefSchema = z.object({
  attemptId: IdSchema,
  saleId: IdSchema,
  providerRef: z.optional(IdSchema),
});

/** A referenced refund; `refundKey` is derived from the attempt id and is the idempotency key. */
export const RefundRequestSchema = z.object({
  refundKey: IdSchema,
  attemptId: IdSchema,
  saleId: IdSchema,
  amount: AmountSchema,
  currency: CurrencySchema,
  providerRef: z.optional(IdSchema),
});

/** Input of `session.pay()`. For cash, `amount` is what the customer hands over. */
export const PayInputSchema = z.strictObject({
  provider: IdSchema,
  amount: AmountSchema,
  /** When given, must be the session's currency. */
  currency: z.optional(CurrencySchema),
  tip: z.optional(AmountSchema),
  allowPartial: z.optional(z.boolean()),
  entry: z.optional(ManualEntrySchema),
});

/** Input of `session.refund()`. */
export const RefundInputSchema = z.strictObject({
  amount: AmountSchema,
  currency: z.optional(CurrencySchema),
  reason: z.optional(text(200)),
});

/** Input of `session.resolve()`: a person's audited decision on an attempt that needs attention. */
export const ResolutionInputSchema = z.discriminatedUnion('resolution', [
  z.strictObject({
    resolution: z.literal('approved'),
    amount: AmountSchema,
    authCode: z.optional(AuthCodeSchema),
    by: text(80),
    note: text(500),
  }),
  z.strictObject({ resolution: z.literal('not_charged'), by: text(80), note: text(500) }),
]);

/** Cash rounding step and mode. */
export const CashRoundingSchema = z.strictObject({
  step: AmountSchema,
  mode: z.optional(z.enum(['half-up', 'half-even', 'half-down', 'up', 'down', 'ceiling', 'floor'])),
});

/** Data options of `createPaymentSession()` (the ports are checked separately). */
export const SessionOptionsSchema = z.strictObject({
  saleId: IdSchema,
  total: AmountSchema,
  currency: CurrencySchema,
  cashRounding: z.optional(CashRoundingSchema),
  acceptPartial: z.optional(z.boolean()),
  timeoutMs: z.optional(z.number().check(z.int(), z.minimum(1), z.maximum(3_600_000))),
  inquiry: z.optional(
    z.strictObject({
      maxAttempts: z.optional(z.number().check(z.int(), z.minimum(1), z.maximum(1000))),
      intervalMs: z.optional(z.number().check(z.int(), z.minimum(0), z.maximum(3_600_000))),
    }),
  ),
  lateApproval: z.optional(z.enum(['void', 'keep'])),
});

const at = z.number().check(z.int(), z.minimum(0), z.maximum(8_640_000_000_000));
const base = { saleId: IdSchema, at };

/** Why a void was sent. */
export const VoidReasonSchema = z.enum(['requested', 'partial_not_accepted', 'late_approval']);

/**
 * One record of the payment store. The session's whole state is a fold over these, so a
 * session torn down at any moment is rebuilt from the store exactly.
 */
export const PaymentRecordSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('session'),
    ...base,
    total: AmountSchema,
    currency: CurrencySchema,
    cashRounding: z.optional(CashRoundingSchema),
    acceptPartial: z.boolean(),
  }),
  z.object({
    type: z.literal('attempt'),
    ...base,
    attemptId: IdSchema,
    provider: IdSchema,
    method: z.enum(['cash', 'card', 'external']),
    amount: AmountSchema,
    currency: CurrencySchema,
    tip: z.optional(AmountSchema),
    allowPartial: z.boolean(),
    tendered: z.optional(AmountSchema),
    change: z.optional(AmountSchema),
    rounding: z.optional(z.string().check(z.regex(/^-?\d{1,12}(\.\d{1,6})?$/))),
    entry: z.optional(ManualEntrySchema),
  }),
  z.object({
    type: z.literal('outcome'),
    ...base,
    attemptId: IdSchema,
    source: z.enum(['start', 'inquiry', 'webhook', 'cancel', 'timeout']),
    outcome: PaymentOutcomeSchema,
  }),
  z.object({ type: z.literal('inquiry'), ...base, attemptId: IdSchema, answer: z.literal('in_progress') }),
  z.object({
    type: z.literal('attention'),
    ...base,
    attemptId: IdSchema,
    reason: text(200),
    code: z.optional(z.literal('payment.provider_error')),
  }),
  z.object({
    type: z.literal('resolution'),
    ...base,
    attemptId: IdSchema,
    resolution: z.enum(['approved', 'not_charged']),
    amount: z.optional(AmountSchema),
    authCode: z.optional(AuthCodeSchema),
    by: text(80),
    note: text(500),
  }),
  z.object({
    type: z.literal('cancel'),
    ...base,
    attemptId: IdSchema,
    result: z.enum(['canceled', 'too_late', 'unknown']),
  }),
  z.object({
    type: z.literal('void'),
    ...base,
    attemptId: IdSchema,
    key: IdSchema,
    reason: VoidReasonSchema,
  }),
  z.object({
    type: z.literal('void_outcome'),
    ...base,
    attemptId: IdSchema,
    key: IdSchema,
    outcome: PaymentOutcomeSchema,
  }),
  z.object({
    type: z.literal('refund'),
    ...base,
    refundId: IdSchema,
    reason: z.optional(text(200)),
    parts: z.array(
      z.object({
        attemptId: IdSchema,
        amount: AmountSchema,
        key: IdSchema,
        /** For cash: the exact part of the sale refunded; `amount` is that rounded with the cash rule. */
        exact: z.optional(AmountSchema),
      }),
    ),
  }),
  z.object({
    type: z.literal('refund_outcome'),
    ...base,
    refundId: IdSchema,
    attemptId: IdSchema,
    key: IdSchema,
    outcome: PaymentOutcomeSchema,
  }),
  z.object({ type: z.literal('complete'), ...base }),
  z.object({ type: z.literal('webhook'), ...base, eventId: IdSchema, attemptId: IdSchema }),
]);

/** A verified webhook's content applied to an attempt. */
export const WebhookUpdateSchema = z.strictObject({
  eventId: IdSchema,
  attemptId: IdSchema,
  outcome: PaymentOutcomeSchema,
});
