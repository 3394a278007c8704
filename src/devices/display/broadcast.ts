import { Observable } from 'rxjs';
import { KassaError } from '../../errors.js';
import { type CartDisplayFormat, type CartLike, cartDisplayLines } from './pole-display.js';

/** A message to a customer-facing screen. */
export interface CustomerScreenMessage {
  readonly type: 'cart';
  readonly lines: readonly { readonly name: string; readonly quantity: string; readonly total: string }[];
  readonly total: string;
  readonly currency: string;
  /** The same text a pole display would show, for a simple screen. */
  readonly summary: readonly [string, string];
}

/** The minimal BroadcastChannel surface kassa uses (browsers and Node 18+ have it). */
export interface ChannelLike {
  postMessage(message: unknown): void;
  close(): void;
  addEventListener(type: 'message', listener: (e: MessageEvent) => void): void;
  removeEventListener(type: 'message', listener: (e: MessageEvent) => void): void;
}

function openChannel(name: string, factory?: (name: string) => ChannelLike): ChannelLike {
  if (factory) return factory(name);
  const BC = (globalThis as { BroadcastChannel?: new (n: string) => ChannelLike }).BroadcastChannel;
  if (!BC) throw new KassaError('device.not_supported', 'BroadcastChannel is not available');
  return new BC(name);
}

/**
 * Publishes a cart to a second screen (a tablet facing the customer, another window of the
 * same origin) over a BroadcastChannel. Returns a stop function.
 */
export function publishCartToScreen(
  cart: CartLike,
  options: {
    channel?: string;
    format?: CartDisplayFormat;
    channelFactory?: (name: string) => ChannelLike;
  } = {},
): () => void {
  const channel = openChannel(options.channel ?? 'kassa-customer-display', options.channelFactory);
  const sub = cart.state$.subscribe((state) => {
    const message: CustomerScreenMessage = {
      type: 'cart',
      lines: state.lines.map((l) => ({
        name: l.name ?? l.sku,
        quantity: String(l.quantity),
        total: l.total,
      })),
      total: state.totals.total,
      currency: state.currency,
      summary: cartDisplayLines(state, options.format),
    };
    channel.postMessage(message);
  });
  return () => {
    sub.unsubscribe();
    channel.close();
  };
}

/** The customer screen's side: messages from {@link publishCartToScreen}. */
export function customerScreenMessages(
  options: { channel?: string; channelFactory?: (name: string) => ChannelLike } = {},
): Observable<CustomerScreenMessage> {
  return new Observable<CustomerScreenMessage>((subscriber) => {
    const channel = openChannel(options.channel ?? 'kassa-customer-display', options.channelFactory);
    const onMessage = (e: MessageEvent) => {
      const m = e.data as Partial<CustomerScreenMessage> | null;
      if (m && m.type === 'cart' && Array.isArray(m.lines) && typeof m.total === 'string') {
        subscriber.next(m as CustomerScreenMessage);
      }
    };
    channel.addEventListener('message', onMessage);
    return () => {
      channel.removeEventListener('message', onMessage);
      channel.close();
    };
  });
}
