/**
 * `kassa/payments`: the provider interface, tender orchestration per sale, crash-safe
 * recovery, the cash, external and simulated providers, and webhook verification. Browser
 * safe: no Node built-ins (the file store lives in `kassa/payments/node`).
 * @packageDocumentation
 */

export { containsCardData } from './card-data.js';
export { type CartPaymentSessionOptions, paymentSessionFromCart } from './from-cart.js';
export { captureKey, newPaymentId, refundKey, voidKey } from './ids.js';
export {
  type CashProvider,
  createCashProvider,
  type DrawerOpenRequest,
  suggestCashAmounts,
} from './providers/cash.js';
export { createExternalProvider } from './providers/external.js';
export {
  createSimulatedTerminal,
  type SimulatedRequest,
  type SimulatedStep,
  type SimulatedTerminal,
  type SimulatedTerminalOptions,
} from './providers/simulated.js';
export { type RecoveredSale, type RecoverOptions, recoverPayments } from './recover.js';
export {
  AmountSchema,
  AttemptRefSchema,
  AuthCodeSchema,
  CardDetailsSchema,
  CashRoundingSchema,
  CurrencySchema,
  EntryModeSchema,
  IdSchema,
  InquiryResultSchema,
  ManualEntrySchema,
  PayInputSchema,
  PaymentEventSchema,
  PaymentOutcomeSchema,
  PaymentRecordSchema,
  PaymentRequestSchema,
  ProgressStageSchema,
  RefundInputSchema,
  RefundRequestSchema,
  ResolutionInputSchema,
  SessionOptionsSchema,
  VoidReasonSchema,
  WebhookUpdateSchema,
} from './schemas.js';
export {
  createPaymentSession,
  type PaymentSession,
  type PaymentSessionOptions,
  type RefundResult,
  type WebhookApplication,
  type WebhookUpdate,
} from './session.js';
export { createMemoryPaymentStore } from './store.js';
export type {
  AttemptRef,
  AttemptStatus,
  CancelResult,
  CardDetails,
  CashRoundingOption,
  EntryMode,
  InquiryResult,
  ManualEntry,
  OpenAttempt,
  PayInput,
  PaymentEvent,
  PaymentOutcome,
  PaymentProvider,
  PaymentRecord,
  PaymentRequest,
  PaymentSessionEvent,
  PaymentSessionState,
  PaymentStore,
  ProgressStage,
  ProviderCapabilities,
  RefundInput,
  RefundRequest,
  ResolutionInput,
  Tender,
  TenderRefund,
  VoidReason,
} from './types.js';
export {
  type AdyenNotificationItem,
  type SquareSignatureOptions,
  type StripeSignatureOptions,
  verifyAdyenHmac,
  verifySquareSignature,
  verifyStripeSignature,
} from './webhooks/verify.js';
