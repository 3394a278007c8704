import { Subject } from 'rxjs';
import { KassaError } from '../../errors.js';
import { createTransportCore } from './core.js';
import type { Transport, TransportOptions } from './types.js';

/** The device end of a memory transport: what a test or a simulator drives. */
export interface MemoryDevice {
  /** Every chunk the host wrote, in order. */
  readonly written$: Subject<Uint8Array>;
  /** All bytes written so far, concatenated. */
  writtenBytes(): Uint8Array;
  /** Sends bytes to the host (as if the device emitted them). */
  send(bytes: Uint8Array | string): void;
  /** Pulls the plug: the open link is lost and opening fails until {@link plug}. */
  unplug(): void;
  /** Plugs the device back in. */
  plug(): void;
  /** True while plugged in. */
  plugged(): boolean;
  /**
   * Holds each write until the returned release is called; for testing backpressure and
   * unplugging in the middle of a job. Pass `false` to stop holding.
   */
  holdWrites(hold: boolean): void;
  /** Releases the oldest held write. Returns false when nothing is held. */
  releaseWrite(): boolean;
}

/**
 * A transport to an in-memory device, for tests, demos and simulators (a virtual scanner
 * in a kiosk demo). Behaves like a real one: connection states, chunked writes, unplug
 * and reconnect.
 * @example
 * ```ts
 * const { transport, device } = createMemoryTransport();
 * const scanner = createSerialScanner({ transport });
 * await transport.open();
 * device.send('4006381333931\r');
 * ```
 */
export function createMemoryTransport(options: TransportOptions & { label?: string } = {}): {
  transport: Transport;
  device: MemoryDevice;
} {
  const written$ = new Subject<Uint8Array>();
  const chunks: Uint8Array[] = [];
  let isPlugged = true;
  let sink: { data(b: Uint8Array): void; lost(r?: unknown): void } | undefined;
  const watchers = new Set<() => void>();
  let hold = false;
  const held: Array<() => void> = [];
  const encoder = new TextEncoder();

  const transport = createTransportCore(
    'memory',
    options.label ?? 'memory',
    {
      async connect(s) {
        if (!isPlugged) throw new KassaError('device.open_failed', 'memory device is unplugged');
        sink = s;
        return {
          write: (chunk) =>
            new Promise<void>((resolve, reject) => {
              const mySink = s;
              const deliver = () => {
                if (!isPlugged || sink !== mySink) {
                  reject(new Error('device unplugged'));
                  return;
                }
                const copy = chunk.slice();
                chunks.push(copy);
                written$.next(copy);
                resolve();
              };
              if (hold) held.push(deliver);
              else deliver();
            }),
          close: async () => {
            if (sink === s) sink = undefined;
          },
        };
      },
      watch(onAvailable) {
        watchers.add(onAvailable);
        return () => watchers.delete(onAvailable);
      },
    },
    options,
  );

  const device: MemoryDevice = {
    written$,
    writtenBytes() {
      const total = chunks.reduce((n, c) => n + c.length, 0);
      const out = new Uint8Array(total);
      let o = 0;
      for (const c of chunks) {
        out.set(c, o);
        o += c.length;
      }
      return out;
    },
    send(bytes) {
      sink?.data(typeof bytes === 'string' ? encoder.encode(bytes) : bytes);
    },
    unplug() {
      isPlugged = false;
      const s = sink;
      sink = undefined;
      // Writes held at the moment of the unplug fail, as they would on a real cable.
      for (const deliver of held.splice(0)) deliver();
      s?.lost(new Error('unplugged'));
    },
    plug() {
      isPlugged = true;
      for (const w of watchers) w();
    },
    plugged: () => isPlugged,
    holdWrites(h) {
      hold = h;
      if (!h) for (const deliver of held.splice(0)) deliver();
    },
    releaseWrite() {
      const next = held.shift();
      next?.();
      return next !== undefined;
    },
  };
  return { transport, device };
}
