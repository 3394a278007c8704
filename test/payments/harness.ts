import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createManualClock } from '../../src/clock.js';
import {
  createCashProvider,
  createExternalProvider,
  createPaymentSession,
  createSimulatedTerminal,
  type PaymentSession,
  type PaymentSessionOptions,
  type SimulatedStep,
  type Tender,
} from '../../src/payments/index.js';
import { type FilePaymentStore, openFilePaymentStore } from '../../src/payments/node.js';

/** `live`: one session throughout. `rebuilt`: torn down and rebuilt from the store at the worst moment. */
export type Mode = 'live' | 'rebuilt';
export const MODES: readonly Mode[] = ['live', 'rebuilt'];

export interface HarnessOptions {
  saleId?: string;
  total: string;
  currency?: string;
  script?: SimulatedStep[];
  stepMs?: number;
  session?: Partial<
    Omit<PaymentSessionOptions, 'saleId' | 'total' | 'currency' | 'providers' | 'store' | 'clock'>
  >;
}

let counter = 0;

/** A sale paid against real files, a manual clock and the simulated terminal. */
export async function harness(mode: Mode, o: HarnessOptions) {
  const dir = await mkdtemp(join(tmpdir(), 'kassa-pay-'));
  const path = join(dir, 'payments.jsonl');
  const clock = createManualClock();
  const terminal = createSimulatedTerminal({
    id: 'terminal',
    clock,
    script: o.script ?? [],
    stepMs: o.stepMs ?? 1000,
  });
  const cash = createCashProvider();
  const external = createExternalProvider();
  const providers = [cash, terminal, external];
  let store: FilePaymentStore = await openFilePaymentStore(path);
  const open = () =>
    createPaymentSession({
      saleId: o.saleId ?? 'sale-1',
      total: o.total,
      currency: o.currency ?? 'EUR',
      providers,
      store,
      clock,
      newId: (kind) => `${kind}_${++counter}`,
      ...o.session,
    });
  let session: PaymentSession = await open();
  let recovering: Promise<readonly Tender[]> | undefined;
  let crashes = 0;
  const pump = async (p: Promise<unknown>) => {
    let done = false;
    p.then(
      () => {
        done = true;
      },
      () => {
        done = true;
      },
    );
    for (let i = 0; i < 2000 && !done; i++) {
      await clock.advance(500);
      await new Promise((r) => setTimeout(r, 1));
    }
  };
  const h = {
    mode,
    clock,
    terminal,
    cash,
    external,
    providers,
    path,
    get store() {
      return store;
    },
    get session() {
      return session;
    },
    get crashes() {
      return crashes;
    },
    /** The worst moment: in `rebuilt` mode the process dies here and starts again from the file. */
    async crashPoint() {
      if (mode === 'live') return;
      crashes += 1;
      session.dispose();
      await store.close();
      store = await openFilePaymentStore(path);
      session = await open();
      recovering = session.recover();
      recovering.catch(() => undefined);
    },
    /** `session.pay()` with its rejection observed, so a rejection before the test awaits it is not "unhandled". */
    pay(input: Parameters<PaymentSession['pay']>[0]): Promise<Tender> {
      const p = session.pay(input);
      p.catch(() => undefined);
      return p;
    },
    /** Moves simulated time until `p` settles (real file I/O runs in between); returns `p`. */
    async drive<T>(p: Promise<T>): Promise<T> {
      await pump(p);
      return p;
    },
    /** Waits for a pay() of the live session, or for the rebuilt session's recovery. */
    async settled<T>(p: Promise<T>): Promise<void> {
      await pump(p);
      if (recovering) await pump(recovering);
      recovering = undefined;
    },
    /** Lets promises run until the session has journaled an attempt that is still pending. */
    async untilJournaled(): Promise<void> {
      for (let i = 0; i < 200; i++) {
        if (session.snapshot().tenders.some((t) => t.status === 'pending')) return;
        await new Promise((r) => setTimeout(r, 0));
      }
      throw new Error('no attempt was journaled');
    },
    tender(attemptIdOrIndex: string | number = -1): Tender {
      const ts = session.snapshot().tenders;
      const t =
        typeof attemptIdOrIndex === 'number'
          ? ts.at(attemptIdOrIndex)
          : ts.find((x) => x.attemptId === attemptIdOrIndex);
      if (!t) throw new Error('no such tender');
      return t;
    },
  };
  return h;
}
