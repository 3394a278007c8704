import { BehaviorSubject, Subject } from 'rxjs';
import { type Clock, systemClock } from '../../clock.js';
import { KassaError } from '../../errors.js';
import type {
  ConnectionState,
  Link,
  LinkFactory,
  Transport,
  TransportKind,
  TransportOptions,
} from './types.js';

const DEFAULT_DELAYS = [250, 500, 1000, 2000, 5000];

/** A transport plus the hooks the platform wrappers use. @internal */
export interface TransportCore extends Transport {
  /** The link currently open, for platform extras (feature reports). */
  currentLink(): Link | undefined;
}

function describe(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/**
 * Builds a {@link Transport} over a platform adapter: connection state, chunked and
 * serialised writes, and reconnection (immediately on the adapter's connect events, else
 * on a back-off timer). Events of a link that was replaced are ignored, so a device that
 * is unplugged and plugged back in cannot deliver stale data or a stale disconnect.
 * @internal
 */
export function createTransportCore(
  kind: TransportKind,
  label: string,
  factory: LinkFactory,
  options: TransportOptions = {},
  defaultChunkSize = 4096,
): TransportCore {
  const clock: Clock = options.clock ?? systemClock;
  const chunkSize = Math.max(1, options.chunkSize ?? defaultChunkSize);
  const reconnect = options.reconnect ?? true;
  const delays = (
    typeof reconnect === 'object' && reconnect.delays?.length ? reconnect.delays : DEFAULT_DELAYS
  ).slice();
  const state$ = new BehaviorSubject<ConnectionState>('disconnected');
  const data$ = new Subject<Uint8Array>();
  let link: Link | undefined;
  let generation = 0;
  let wanted = false;
  let attempt = 0;
  let cancelTimer: (() => void) | undefined;
  let unwatch: (() => void) | undefined;
  let connecting: Promise<void> | undefined;
  let writeChain: Promise<void> = Promise.resolve();
  // Rejects when the current link is dropped. A platform may never settle a write that was in
  // flight when its device went away (Node's serialport does not, on a hung-up line), and
  // writes are serialised: without this, one such write would hold every later one forever.
  let linkGone: Promise<never> | undefined;
  let dropLink: (() => void) | undefined;

  const forgetLink = () => {
    dropLink?.();
    dropLink = undefined;
    linkGone = undefined;
  };

  const setState = (s: ConnectionState) => {
    if (state$.value !== s) state$.next(s);
  };

  const connectOnce = (): Promise<void> => {
    if (connecting) return connecting;
    const gen = ++generation;
    connecting = (async () => {
      const sink = {
        data: (bytes: Uint8Array) => {
          if (gen === generation && link) data$.next(bytes);
        },
        lost: (reason?: unknown) => {
          if (gen === generation) onLost(reason);
        },
      };
      const l = await factory.connect(sink);
      if (gen !== generation || !wanted) {
        // closed or superseded while opening
        await l.close().catch(() => undefined);
        throw new KassaError('device.closed', `${label} was closed while opening`);
      }
      link = l;
      linkGone = new Promise<never>((_, reject) => {
        dropLink = () => reject(new KassaError('device.disconnected', `${label} went away during a write`));
      });
      linkGone.catch(() => undefined);
      attempt = 0;
      setState('connected');
    })().finally(() => {
      connecting = undefined;
    });
    return connecting;
  };

  const scheduleRetry = () => {
    if (!wanted || !reconnect) return;
    cancelTimer?.();
    const delay = delays[Math.min(attempt, delays.length - 1)]!;
    attempt++;
    cancelTimer = clock.setTimeout(() => {
      cancelTimer = undefined;
      void retry();
    }, delay);
  };

  const retry = async () => {
    if (!wanted || link || connecting) return;
    try {
      await connectOnce();
    } catch {
      if (wanted && !link) scheduleRetry();
    }
  };

  const onLost = (_reason?: unknown) => {
    const old = link;
    link = undefined;
    forgetLink();
    generation++;
    void old?.close().catch(() => undefined);
    if (wanted && reconnect) {
      setState('reconnecting');
      attempt = 0;
      scheduleRetry();
    } else {
      setState('disconnected');
    }
  };

  const writeNow = async (bytes: Uint8Array) => {
    if (!link) throw new KassaError('device.disconnected', `${label} is not connected`, { written: 0 });
    for (let offset = 0; offset < bytes.length; offset += chunkSize) {
      const l = link;
      const gone = linkGone;
      if (!l) throw new KassaError('device.disconnected', `${label} is not connected`, { written: offset });
      try {
        const written = l.write(bytes.subarray(offset, offset + chunkSize));
        if (gone) {
          // Settled or not, a write of a dropped link must not surface later as unhandled.
          written.catch(() => undefined);
          await Promise.race([written, gone]);
        } else {
          await written;
        }
      } catch (e) {
        if (link === l) onLost(e);
        throw new KassaError(
          'device.disconnected',
          `${label}: write failed: ${describe(e)}`,
          { written: offset },
          { cause: e },
        );
      }
    }
  };

  return {
    kind,
    label,
    data$: data$.asObservable(),
    connection$: state$.asObservable(),
    connection: () => state$.value,
    currentLink: () => link,
    async open() {
      if (link) return;
      wanted = true;
      if (!unwatch && factory.watch) {
        unwatch = factory.watch(() => {
          if (wanted && !link && state$.value === 'reconnecting') {
            cancelTimer?.();
            cancelTimer = undefined;
            void retry();
          }
        });
      }
      if (state$.value !== 'reconnecting') setState('connecting');
      try {
        await connectOnce();
      } catch (e) {
        if (!link && state$.value === 'connecting') setState('disconnected');
        if (e instanceof KassaError) throw e;
        throw new KassaError('device.open_failed', `${label}: cannot open: ${describe(e)}`, {}, { cause: e });
      }
    },
    async close() {
      wanted = false;
      cancelTimer?.();
      cancelTimer = undefined;
      unwatch?.();
      unwatch = undefined;
      const l = link;
      link = undefined;
      forgetLink();
      generation++;
      setState('disconnected');
      await l?.close().catch(() => undefined);
    },
    write(bytes: Uint8Array) {
      if (!(bytes instanceof Uint8Array)) {
        return Promise.reject(new KassaError('device.invalid_input', 'write expects a Uint8Array'));
      }
      const run = writeChain.then(() => writeNow(bytes));
      writeChain = run.catch(() => undefined);
      return run;
    },
  };
}
