import { isFinal, toState, toTender } from '../reduce.js';
import type { VoidReason } from '../types.js';
import type { SessionCore } from './core.js';
import { fail } from './util.js';

/*
 * Settlement: completing the sale once nothing is due or in flight, and recovery of the
 * sale's unfinished work after a crash (by inquiry only, never a new charge).
 */

/** @internal */
export function createSettlement(
  ctx: SessionCore,
  parts: {
    drive(id: string, send: boolean): Promise<void>;
    afterFinal(id: string): Promise<void>;
    sendVoid(id: string, reason: VoidReason): Promise<void>;
    sendRefund(refundId: string, attemptId: string, key: string, amount: string): Promise<void>;
  },
) {
  const {
    opts,
    decimals,
    clock,
    lateApproval,
    acceptPartial,
    progress,
    sale,
    state,
    active,
    driving,
    ensureOpen,
    append,
    exclusive,
    attempt,
    track,
  } = ctx;
  const { drive, afterFinal, sendVoid, sendRefund } = parts;
  async function recover() {
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
  }
  async function complete() {
    ensureOpen();
    return exclusive(async () => {
      const st = toState(sale(), decimals, progress);
      if (st.status !== 'paid') fail('payment.invalid_state', `${st.due} is still due`);
      if (st.busy.length > 0) fail('payment.invalid_state', 'An attempt is still in flight');
      if (!sale().completed) await append({ type: 'complete', saleId: opts.saleId, at: clock.now() });
      return state.getValue();
    });
  }
  return { recover, complete };
}
