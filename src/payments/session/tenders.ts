import { parseInput } from '../../errors.js';
import { Decimal } from '../../money/decimal.js';
import { roundToStep } from '../../money/rounding.js';
import { reservedOf, toState } from '../reduce.js';
import { PayInputSchema } from '../schemas.js';
import type { PaymentSession } from '../session.js';
import { openAttemptsOf, withStoreLock } from '../terminal-lock.js';
import type { PaymentRecord, Tender } from '../types.js';
import type { SessionCore } from './core.js';
import { checkDecimals, fail, positive, sameCurrency } from './util.js';

/*
 * Tenders and change: what a new attempt asks for (the cash kept, change and rounding; a
 * card's exact amount), checked and journaled under the terminal lock before it is sent.
 */

/** @internal */
export function createTenders(
  ctx: SessionCore,
  driver: { drive(id: string, send: boolean): Promise<void>; settle(id: string): Tender },
) {
  const {
    opts,
    currency,
    decimals,
    store,
    clock,
    newId,
    providers,
    acceptPartial,
    cashRounding,
    progress,
    sale,
    ensureOpen,
    appendNow,
    exclusive,
    track,
  } = ctx;
  const { drive, settle } = driver;
  async function pay(input: Parameters<PaymentSession['pay']>[0]) {
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
      // The terminal lock: the busy check and the journaling of the attempt are one
      // critical section of the store, across every session (and process) sharing it.
      return withStoreLock(store, async () => {
        const open = await openAttemptsOf(store, provider.id);
        if (open.length > 0) {
          fail('payment.terminal_busy', `${provider.id} has an attempt that is not resolved`, {
            path: ['provider'],
            attempt: open[0],
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
        await appendNow(record);
        return attemptId;
      });
    });
    await track(drive(id, true));
    return settle(id);
  }
  return { pay };
}
