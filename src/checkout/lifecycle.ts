import { KassaError } from '../errors.js';

/**
 * Where one sale stands. `idle`: no sale; `open`: lines are being rung up; `tendering`: the
 * customer is paying; `completed`, `voided` and `parked` are final for this sale (a parked
 * sale comes back as a new open sale through `recall`).
 */
export type SaleState = 'idle' | 'open' | 'tendering' | 'completed' | 'voided' | 'parked';

/** What a cashier (or the app) can ask of a sale; each maps to a checkout method. */
export type SaleCommand =
  | 'add' // scan, add, change or remove a line, discounts, customer
  | 'tender' // start paying (also implied by the first pay)
  | 'pay'
  | 'resume' // back from tendering to ringing up, allowed while nothing is paid
  | 'complete'
  | 'void'
  | 'park'
  | 'recall'
  | 'return' // a return against an original sale: refunded, journaled and restocked in one step
  | 'next'; // start over after a final state

/**
 * The one table of allowed transitions. Anything not in it is refused with
 * `checkout.invalid_transition` and changes nothing; `complete` on a completed sale is the one
 * allowed no-op, so a double tap on "done" never books a sale twice.
 */
export const SALE_TRANSITIONS: Readonly<
  Record<SaleState, Readonly<Partial<Record<SaleCommand, SaleState>>>>
> = Object.freeze({
  idle: { add: 'open', recall: 'open', return: 'completed' },
  open: {
    add: 'open',
    tender: 'tendering',
    pay: 'tendering',
    park: 'parked',
    void: 'voided',
  },
  tendering: { pay: 'tendering', tender: 'tendering', resume: 'open', complete: 'completed', void: 'voided' },
  completed: { complete: 'completed', next: 'idle', add: 'open', recall: 'open', return: 'completed' },
  voided: { next: 'idle', add: 'open', recall: 'open', return: 'completed' },
  parked: { next: 'idle', add: 'open', recall: 'open', return: 'completed' },
});

/** The state after `command`, or a `checkout.invalid_transition` error naming both. */
export function nextSaleState(state: SaleState, command: SaleCommand): SaleState {
  const next = SALE_TRANSITIONS[state][command];
  if (next === undefined) {
    throw new KassaError('checkout.invalid_transition', `Cannot ${command} a sale that is ${state}`, {
      state,
      command,
      allowed: Object.keys(SALE_TRANSITIONS[state]),
    });
  }
  return next;
}
