import type { PricedCart } from '../cart/types.js';
import { checkOptions, KassaError } from '../errors.js';
import { createPaymentSession, type PaymentSession, type PaymentSessionOptions } from './session.js';

/** Options of {@link paymentSessionFromCart}: everything but what the priced cart decides. */
export type CartPaymentSessionOptions = Omit<PaymentSessionOptions, 'total' | 'currency' | 'cashRounding'>;

const ALLOWED = [
  'saleId',
  'providers',
  'store',
  'clock',
  'acceptPartial',
  'timeoutMs',
  'inquiry',
  'lateApproval',
  'newId',
] as const;

/**
 * Opens the payment session of a cart-driven sale with the total, the currency and the cash
 * rule taken from the priced cart, so the amount due and the cash total can never disagree
 * (a cart whose cash total is 1.00 is settled by 1.00 in cash). This is the way to pay a
 * cart; `createPaymentSession` with a hand-written total is for sales kassa did not price.
 * @example
 * ```ts
 * const priced = cart.snapshot();
 * const session = await paymentSessionFromCart(priced, { saleId: 'sale-1', providers, store });
 * await session.pay({ provider: 'cash', amount: priced.totals.cashTotal });
 * ```
 * @throws KassaError `validation.invalid_input` for something that is not a priced cart,
 * `validation.unknown_field` for an option the cart decides (`total`, `currency`, `cashRounding`)
 * or a misspelt one; otherwise as {@link createPaymentSession}.
 */
export function paymentSessionFromCart(
  priced: PricedCart,
  options: CartPaymentSessionOptions,
): Promise<PaymentSession> {
  const totals = (priced as Partial<PricedCart> | undefined)?.totals;
  if (!priced || typeof priced.currency !== 'string' || typeof totals?.total !== 'string') {
    return Promise.reject(
      new KassaError('validation.invalid_input', 'paymentSessionFromCart needs a PricedCart', { path: [] }),
    );
  }
  try {
    checkOptions(options, ALLOWED, 'cart payment session options');
  } catch (e) {
    return Promise.reject(e);
  }
  const rule = totals.cashRule;
  return createPaymentSession({
    ...options,
    total: totals.total,
    currency: priced.currency,
    ...(rule ? { cashRounding: { step: rule.step, mode: rule.mode } } : {}),
  });
}
