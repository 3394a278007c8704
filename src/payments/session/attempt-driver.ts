import type { Subscription } from 'rxjs';
import { isKassaError, KassaError, parseInput } from '../../errors.js';
import { Decimal } from '../../money/decimal.js';
import { type AttemptModel, checkOutcome, isFinal, isOpen, toTender } from '../reduce.js';
import {
  InquiryResultSchema,
  PaymentEventSchema,
  ResolutionInputSchema,
  WebhookUpdateSchema,
} from '../schemas.js';
import type { PaymentSession, WebhookUpdate } from '../session.js';
import type { CancelResult, PaymentOutcome, PaymentProvider, Tender, VoidReason } from '../types.js';
import type { SessionCore } from './core.js';
import { checkDecimals, fail, positive, type StartResult, sanitizeReason } from './util.js';

/*
 * The attempt driver: start an attempt, time it out, inquire until its outcome is known,
 * resolve it (a person, a webhook) and act on a final outcome (void a partial or late
 * approval). An outcome is checked against its request before it is journaled.
 */

/** @internal */
export function createAttemptDriver(
  ctx: SessionCore,
  money: { sendVoid(id: string, reason: VoidReason): Promise<void> },
) {
  const {
    opts,
    currency,
    decimals,
    clock,
    timeoutMs,
    maxInquiries,
    inquiryInterval,
    lateApproval,
    acceptPartial,
    progress,
    sale,
    events,
    timers,
    active,
    driving,
    progressSeenDrawer,
    ensureOpen,
    append,
    publish,
    sleep,
    attempt,
    providerOf,
    refOf,
    parseOutcome,
  } = ctx;
  const { sendVoid } = money;
  function runStart(a: AttemptModel, provider: PaymentProvider): Promise<StartResult> {
    return new Promise<StartResult>((resolve) => {
      const id = a.record.attemptId;
      const controller = new AbortController();
      let done = false;
      let sub: Subscription | undefined;
      const finish = (r: StartResult) => {
        if (done) return;
        done = true;
        cancelTimer();
        timers.delete(cancelTimer);
        active.delete(id);
        delete progress[id];
        controller.abort();
        sub?.unsubscribe();
        resolve(r);
      };
      const cancelTimer = clock.setTimeout(
        () => finish({ kind: 'unknown', reason: 'timeout', source: 'timeout' }),
        timeoutMs,
      );
      timers.add(cancelTimer);
      active.set(id, { finish });
      const r = a.record;
      try {
        sub = provider
          .start(
            {
              attemptId: id,
              saleId: opts.saleId,
              amount: r.amount,
              currency,
              allowPartial: r.allowPartial,
              ...(r.tip !== undefined ? { tip: r.tip } : {}),
              ...(r.entry !== undefined ? { entry: r.entry } : {}),
            },
            controller.signal,
          )
          .subscribe({
            next(raw) {
              if (done) return;
              const ev = PaymentEventSchema.safeParse(raw);
              if (!ev.success) return;
              if (ev.data.type === 'outcome') {
                finish({ kind: 'outcome', outcome: ev.data.outcome, source: 'start' });
                return;
              }
              progress[id] = ev.data.stage;
              publish();
              if (ev.data.stage === 'drawer_open') {
                events.next({ type: 'drawer_open', saleId: opts.saleId, attemptId: id });
              } else {
                events.next({
                  type: 'progress',
                  attemptId: id,
                  stage: ev.data.stage,
                  ...(ev.data.card ? { card: ev.data.card } : {}),
                });
              }
            },
            error(e) {
              if (isKassaError(e) && e.code === 'payment.not_sent') {
                finish({
                  kind: 'outcome',
                  outcome: { status: 'failed', reason: 'not sent' },
                  source: 'start',
                });
              } else {
                finish({ kind: 'unknown', reason: sanitizeReason(e), source: 'start' });
              }
            },
            complete() {
              finish({ kind: 'unknown', reason: 'ended without an outcome', source: 'start' });
            },
          });
        if (done) sub.unsubscribe();
      } catch (e) {
        // A synchronous throw may still have sent something: only an inquiry can tell.
        finish({ kind: 'unknown', reason: sanitizeReason(e), source: 'start' });
      }
    });
  }

  async function recordOutcome(
    id: string,
    outcome: PaymentOutcome,
    source: 'start' | 'inquiry' | 'webhook' | 'cancel' | 'timeout',
  ): Promise<void> {
    const a = attempt(id);
    if (isFinal(a.status)) return;
    const checked = checkOutcome(a, outcome, decimals);
    if (checked.error) {
      await append({
        type: 'attention',
        saleId: opts.saleId,
        at: clock.now(),
        attemptId: id,
        reason: checked.error,
        code: 'payment.provider_error',
      });
      events.next({ type: 'needs_attention', attemptId: id, reason: checked.error });
      return;
    }
    outcome = checked.outcome!;
    await append({ type: 'outcome', saleId: opts.saleId, at: clock.now(), attemptId: id, source, outcome });
    events.next({ type: 'outcome', attemptId: id, status: attempt(id).status });
  }

  async function inquireUntilKnown(id: string): Promise<void> {
    for (;;) {
      const a = attempt(id);
      if (isFinal(a.status) || a.status === 'needs_attention') return;
      if (a.inquiries >= maxInquiries) {
        await append({
          type: 'attention',
          saleId: opts.saleId,
          at: clock.now(),
          attemptId: id,
          reason: `no final answer after ${a.inquiries} inquiries`,
        });
        events.next({ type: 'needs_attention', attemptId: id, reason: attempt(id).reason ?? 'unresolved' });
        return;
      }
      let answer: ReturnType<typeof InquiryResultSchema.parse>;
      try {
        const parsed = InquiryResultSchema.safeParse(await providerOf(a).inquire(refOf(a)));
        answer = parsed.success ? parsed.data : { status: 'in_progress' };
      } catch {
        answer = { status: 'in_progress' };
      }
      ensureOpen();
      if (isFinal(attempt(id).status)) return;
      if (answer.status === 'not_found') {
        const caps = providerOf(a).capabilities;
        if (!(caps.inquiry ?? caps.method === 'card')) {
          // A drawer or a standalone terminal forgets with the process: "not found" proves
          // nothing, and booking it failed would lose money that may have changed hands.
          const reason = `${a.record.provider} cannot tell what happened to an earlier attempt; check and resolve it`;
          await append({ type: 'attention', saleId: opts.saleId, at: clock.now(), attemptId: id, reason });
          events.next({ type: 'needs_attention', attemptId: id, reason });
          return;
        }
        await recordOutcome(id, { status: 'failed', reason: 'not found at the provider' }, 'inquiry');
        return;
      }
      if (answer.status === 'in_progress' || answer.status === 'unknown') {
        await append({
          type: 'inquiry',
          saleId: opts.saleId,
          at: clock.now(),
          attemptId: id,
          answer: 'in_progress',
        });
        if (attempt(id).inquiries < maxInquiries) await sleep(inquiryInterval);
        continue;
      }
      await recordOutcome(id, answer, 'inquiry');
      return;
    }
  }

  async function afterFinal(id: string): Promise<void> {
    const a = attempt(id);
    if (a.void !== 'none') return;
    if (a.status === 'partially_approved' && !(acceptPartial && a.record.allowPartial)) {
      await sendVoid(id, 'partial_not_accepted');
    } else if (
      (a.status === 'approved' || a.status === 'partially_approved') &&
      a.cancelRequested &&
      lateApproval === 'void'
    ) {
      await sendVoid(id, 'late_approval');
    }
    if (a.record.method === 'cash' && a.status === 'approved' && !progressSeenDrawer.has(id)) {
      events.next({ type: 'drawer_open', saleId: opts.saleId, attemptId: id });
    }
  }
  async function drive(id: string, send: boolean): Promise<void> {
    if (driving.has(id)) return;
    driving.add(id);
    try {
      const a = attempt(id);
      if (send && a.status === 'pending') {
        const result = await runStart(a, providerOf(a));
        ensureOpen();
        if (result.kind === 'outcome') {
          await recordOutcome(id, parseOutcome(result.outcome), result.source);
        } else {
          await recordOutcome(id, { status: 'unknown', reason: result.reason }, result.source);
        }
      }
      await inquireUntilKnown(id);
      if (isFinal(attempt(id).status)) await afterFinal(id);
    } finally {
      driving.delete(id);
    }
  }

  function settle(id: string): Tender {
    const a = attempt(id);
    const tender = toTender(a, decimals);
    const details = { attemptId: id, status: a.status };
    switch (a.status) {
      case 'approved':
      case 'partially_approved':
        if (a.void === 'voided' || a.void === 'pending') {
          throw new KassaError(
            a.voidReason === 'partial_not_accepted' ? 'payment.partial_voided' : 'payment.canceled',
            a.voidReason === 'partial_not_accepted'
              ? 'The terminal approved only part of the amount; the sale takes no partial payments, so it was voided'
              : 'The payment was approved after the cancel and has been voided',
            { ...details, retry: 'new_attempt', void: a.void },
          );
        }
        return tender;
      case 'declined':
        throw new KassaError('payment.declined', `Declined (${tender.declineCode ?? 'no code'})`, {
          ...details,
          reasonCode: tender.declineCode,
          retry: 'new_attempt',
        });
      case 'failed':
        throw new KassaError('payment.not_sent', `The payment did not take place: ${a.reason ?? 'failed'}`, {
          ...details,
          retry: 'safe',
        });
      case 'canceled':
        throw new KassaError('payment.canceled', 'The payment was canceled', {
          ...details,
          retry: 'new_attempt',
        });
      case 'needs_attention':
        if (a.attentionCode === 'payment.provider_error') {
          throw new KassaError(
            'payment.provider_error',
            `The provider's answer does not match the request: ${a.reason}`,
            {
              ...details,
              retry: 'inquire_only',
            },
          );
        }
        throw new KassaError('payment.needs_attention', 'The outcome is unknown; a person must resolve it', {
          ...details,
          retry: 'inquire_only',
        });
      default:
        throw new KassaError('payment.outcome_unknown', 'The outcome is not known yet', {
          ...details,
          retry: 'inquire_only',
        });
    }
  }

  async function cancel(attemptId: string) {
    ensureOpen();
    const a = attempt(attemptId);
    if (!isOpen(a.status) || a.status === 'needs_attention') {
      fail(
        'payment.invalid_state',
        `Attempt ${attemptId} is ${a.status}; only an attempt in flight can be canceled`,
      );
    }
    let result: CancelResult;
    try {
      result = await providerOf(a).cancel(refOf(a));
      if (result !== 'canceled' && result !== 'too_late' && result !== 'unknown') result = 'unknown';
    } catch {
      result = 'unknown';
    }
    await append({ type: 'cancel', saleId: opts.saleId, at: clock.now(), attemptId, result });
    const run = active.get(attemptId);
    if (result === 'canceled') {
      if (run) run.finish({ kind: 'outcome', outcome: { status: 'canceled' }, source: 'cancel' });
      else await recordOutcome(attemptId, { status: 'canceled' }, 'cancel');
    } else if (result === 'unknown') {
      run?.finish({ kind: 'unknown', reason: 'cancel outcome unknown', source: 'start' });
    }
    return result;
  }
  async function resolve(attemptId: string, input: Parameters<PaymentSession['resolve']>[1]) {
    ensureOpen();
    const req = parseInput(ResolutionInputSchema, input, 'resolution');
    const a = attempt(attemptId);
    if (a.status !== 'needs_attention') {
      fail(
        'payment.invalid_state',
        `Attempt ${attemptId} is ${a.status}; only one that needs attention is resolved by hand`,
      );
    }
    if (req.resolution === 'approved') {
      const amt = checkDecimals(req.amount, currency, ['amount']);
      positive(amt, ['amount']);
      if (amt.gt(a.record.amount)) {
        fail('validation.invalid_amount', 'A resolution cannot approve more than was asked', {
          path: ['amount'],
        });
      }
    }
    await append({
      type: 'resolution',
      saleId: opts.saleId,
      at: clock.now(),
      attemptId,
      resolution: req.resolution,
      by: req.by,
      note: req.note,
      ...(req.resolution === 'approved'
        ? {
            amount: new Decimal(req.amount).toFixed(decimals),
            ...(req.authCode ? { authCode: req.authCode } : {}),
          }
        : {}),
    });
    events.next({ type: 'outcome', attemptId, status: attempt(attemptId).status });
    return toTender(attempt(attemptId), decimals);
  }
  async function applyWebhook(update: WebhookUpdate) {
    ensureOpen();
    const eventId = parseInput(WebhookUpdateSchema, update, 'webhook update');
    const a = attempt(eventId.attemptId);
    if (sale().webhooks.has(eventId.eventId)) return 'duplicate';
    await append({
      type: 'webhook',
      saleId: opts.saleId,
      at: clock.now(),
      eventId: eventId.eventId,
      attemptId: eventId.attemptId,
    });
    if (isFinal(a.status) || eventId.outcome.status === 'unknown') return 'ignored';
    const run = active.get(eventId.attemptId);
    if (run) {
      run.finish({ kind: 'outcome', outcome: eventId.outcome, source: 'webhook' });
      return 'applied';
    }
    await recordOutcome(eventId.attemptId, eventId.outcome, 'webhook');
    if (!driving.has(eventId.attemptId) && isFinal(attempt(eventId.attemptId).status)) {
      await afterFinal(eventId.attemptId);
    }
    return 'applied';
  }
  return { drive, settle, afterFinal, recordOutcome, cancel, resolve, applyWebhook };
}
