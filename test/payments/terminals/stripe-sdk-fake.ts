import type {
  ConnectionStatus,
  ErrorResponse,
  IPaymentIntent,
  ISdkManagedPaymentIntent,
  ISetReaderDisplayRequest,
  Terminal,
} from '@stripe/terminal-js';
import type { StripeServer } from './stripe-server.js';

type Used = Pick<
  Terminal,
  | 'collectPaymentMethod'
  | 'processPayment'
  | 'cancelCollectPaymentMethod'
  | 'setReaderDisplay'
  | 'clearReaderDisplay'
  | 'getConnectionStatus'
>;

/**
 * A reader behind Stripe's JS SDK, typed by `@stripe/terminal-js`'s own declarations (a
 * change in Stripe's types breaks this file's build). It collects and processes against
 * the local Stripe server, following each intent's script: a late card, a late answer, a
 * decline, a reader that disconnects mid-payment, a processing answer lost after the charge.
 */
export class FakeStripeTerminal implements Used {
  /** What `onUnexpectedReaderDisconnect` was wired to. */
  onDisconnect: () => void = () => undefined;
  readonly displays: ISetReaderDisplayRequest[] = [];
  private pendingCollect: ((r: ErrorResponse) => void) | undefined;
  /** Collections started. */
  collected = 0;

  /** Whether the reader is waiting for a card now. */
  get collecting(): boolean {
    return this.pendingCollect !== undefined;
  }

  constructor(private readonly server: StripeServer) {}

  private intentOf(secret: string) {
    const pi = this.server.intents().find((i) => i.client_secret === secret);
    if (!pi) throw new Error('no intent for this client secret');
    return pi;
  }

  getConnectionStatus(): ConnectionStatus {
    return 'connected' as ConnectionStatus;
  }

  async setReaderDisplay(request: ISetReaderDisplayRequest): Promise<ErrorResponse | Record<string, never>> {
    this.displays.push(request);
    return {};
  }

  async clearReaderDisplay(): Promise<ErrorResponse | Record<string, never>> {
    return {};
  }

  collectPaymentMethod(
    clientSecret: string,
  ): Promise<ErrorResponse | { paymentIntent: ISdkManagedPaymentIntent }> {
    const pi = this.intentOf(clientSecret);
    this.collected += 1;
    const wait = pi.script.do === 'complete_late' ? pi.script.ms : 10;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.pendingCollect = undefined;
        resolve({
          paymentIntent: {
            ...(pi as unknown as IPaymentIntent),
            sdk_payment_details: { type: 'card_present', card_present: { brand: 'visa', last4: '4242' } },
          } as unknown as ISdkManagedPaymentIntent,
        });
      }, wait);
      this.pendingCollect = (r) => {
        clearTimeout(timer);
        this.pendingCollect = undefined;
        resolve(r);
      };
    });
  }

  async cancelCollectPaymentMethod(): Promise<ErrorResponse | Record<string, never>> {
    this.pendingCollect?.({ error: { code: 'canceled', message: 'Request has been canceled' } });
    return {};
  }

  async processPayment(
    intent: ISdkManagedPaymentIntent,
  ): Promise<ErrorResponse | { paymentIntent: IPaymentIntent }> {
    const pi = this.server.intents().find((i) => i.id === intent.id)!;
    const script = pi.script;
    const result = await this.server.confirm(pi.id);
    if (script.do === 'offline') {
      // The charge went through, then the reader dropped off: the SDK never answers.
      setTimeout(() => this.onDisconnect(), 20);
      return new Promise(() => undefined);
    }
    if (script.do === 'error_after_payment') {
      return {
        error: { type: 'api_error', code: 'network_error', message: 'Could not communicate with Stripe' },
      };
    }
    if (script.do === 'answer_late') await new Promise((r) => setTimeout(r, script.ms));
    if (!result.ok) {
      return {
        error: {
          type: 'card_error',
          ...(result.error.code ? { code: result.error.code } : {}),
          ...(result.error.decline_code ? { decline_code: result.error.decline_code } : {}),
          message: result.error.message ?? 'declined',
          payment_intent: {
            ...(result.intent as unknown as IPaymentIntent),
            status: 'requires_payment_method',
          },
        },
      };
    }
    return { paymentIntent: result.intent as unknown as IPaymentIntent };
  }
}
