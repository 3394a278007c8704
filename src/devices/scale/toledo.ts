import {
  BehaviorSubject,
  distinctUntilChanged,
  filter,
  type Observable,
  Subject,
  type Subscription,
} from 'rxjs';
import * as z from 'zod/mini';
import { type Clock, systemClock } from '../../clock.js';
import { KassaError } from '../../errors.js';
import { impliedDecimal } from '../barcode/gs1.js';
import { nextValue } from '../next-value.js';
import { checkOptions, clockSchema, msSchema, transportSchema } from '../options.js';
import type { Transport } from '../transports/types.js';
import type { Scale, ScaleReading, ScaleStatus } from './types.js';

/** A frame of the Toledo 8217 protocol: a weight, or a status byte. */
export type ToledoFrame =
  | { kind: 'weight'; weight: string }
  | { kind: 'status'; status: ScaleStatus }
  | { kind: 'garbage' };

/** Decodes a Toledo status byte (bit 0 motion, 1 over capacity, 2 under zero, 3 outside zero range, 4 center of zero, 5 net). */
export function decodeToledoStatus(b: number): ScaleStatus {
  const bit = (n: number) => (b & (1 << n)) !== 0;
  return {
    motion: bit(0),
    overCapacity: bit(1),
    underZero: bit(2),
    outsideZeroRange: bit(3),
    centerOfZero: bit(4),
    net: bit(5),
  };
}

/**
 * Decodes the text between STX and CR. `decimals` places the point when the scale sends
 * digits only (`'01234'` with 3 decimals is 1.234).
 */
export function parseToledoFrame(body: string, decimals = 3): ToledoFrame {
  if (body.startsWith('?') && body.length === 2) {
    const b = body.charCodeAt(1);
    // bit 6 is always set in a status byte; anything else is line noise
    if ((b & 0x40) === 0) return { kind: 'garbage' };
    return { kind: 'status', status: decodeToledoStatus(b) };
  }
  const t = body.trim();
  if (/^\d+\.\d+$/.test(t)) {
    const [i, f] = t.split('.') as [string, string];
    return { kind: 'weight', weight: `${i.replace(/^0+(?=\d)/, '')}.${f}` };
  }
  if (/^\d+$/.test(t)) return { kind: 'weight', weight: impliedDecimal(t, decimals) };
  return { kind: 'garbage' };
}

/** Options of {@link createToledoScale}. */
export interface ToledoScaleOptions {
  /** Serial transport at 9600 baud, 7 data bits, even parity, 1 stop bit. */
  transport: Transport;
  clock?: Clock;
  unit?: 'kg' | 'lb';
  /** Decimals when the scale sends digits without a point. Default 3. */
  decimals?: number;
  /** How long to wait for a reply. Default 1000 ms. */
  replyTimeoutMs?: number;
  /** Ask for a weight this often (ms) to feed `weight$`; 0 (default) polls only on `read()`. */
  pollIntervalMs?: number;
}

/** Serial line settings of the Toledo 8217 protocol. */
export const TOLEDO_8217_LINE = { baudRate: 9600, dataBits: 7, parity: 'even', stopBits: 1 } as const;

const optionsSchema = z.looseObject({
  transport: transportSchema,
  clock: clockSchema,
  unit: z.optional(z.enum(['kg', 'lb'])),
  decimals: z.optional(z.number().check(z.int(), z.minimum(0), z.maximum(6))),
  replyTimeoutMs: msSchema,
  pollIntervalMs: msSchema,
});

/**
 * A scale speaking the Mettler Toledo 8217 protocol (also spoken by many POS scanner-scales):
 * the host sends `W`, the scale answers `STX weight CR` when stable or `STX ? status CR`
 * when in motion or in error; `Z` zeroes, `T` tares.
 */
export function createToledoScale(options: ToledoScaleOptions): Scale {
  checkOptions(optionsSchema, options, 'Toledo scale options');
  const { transport } = options;
  const clock = options.clock ?? systemClock;
  const unit = options.unit ?? 'kg';
  const decimals = options.decimals ?? 3;
  const replyTimeout = options.replyTimeoutMs ?? 1000;
  const readings$ = new Subject<ScaleReading>();
  const status$ = new BehaviorSubject<ScaleStatus>({});
  const frames$ = new Subject<ToledoFrame>();
  let buf: number[] | undefined;
  let busy: Promise<unknown> = Promise.resolve();

  const subs: Subscription[] = [
    transport.data$.subscribe((bytes) => {
      for (const raw of bytes) {
        const b = raw & 0x7f; // 7-bit protocol: a parity bit left in by an 8N1 port is ignored
        if (b === 0x02) buf = [];
        else if (b === 0x0d) {
          if (buf) {
            const frame = parseToledoFrame(String.fromCharCode(...buf), decimals);
            buf = undefined;
            if (frame.kind === 'weight') {
              const status: ScaleStatus = {
                ...status$.value,
                motion: false,
                overCapacity: false,
                underZero: false,
              };
              status$.next(status);
              readings$.next({ weight: frame.weight, unit, stable: true, status, at: clock.now() });
            } else if (frame.kind === 'status') {
              status$.next(frame.status);
            } else {
              status$.next({ ...status$.value, error: true });
            }
            frames$.next(frame);
          }
        } else if (buf) {
          buf.push(b);
          if (buf.length > 32) buf = undefined; // no frame is this long: resynchronise on the next STX
        }
      }
    }),
  ];

  const command = (c: 'W' | 'Z' | 'T'): Promise<ToledoFrame> => {
    const run = busy.then(async () => {
      const reply = nextValue(
        frames$,
        () => true,
        clock,
        replyTimeout,
        () => new KassaError('device.timeout', `scale did not answer ${c}`),
      );
      await transport.write(new Uint8Array([c.charCodeAt(0)]));
      return reply;
    });
    busy = run.catch(() => undefined);
    return run;
  };

  let stopPolling: (() => void) | undefined;
  if (options.pollIntervalMs && options.pollIntervalMs > 0) {
    const every = options.pollIntervalMs;
    const tick = () => {
      stopPolling = clock.setTimeout(() => {
        if (transport.connection() === 'connected')
          void command('W')
            .catch(() => undefined)
            .then(tick);
        else tick();
      }, every);
    };
    tick();
  }

  const weight$: Observable<ScaleReading> = readings$.pipe(
    filter((r) => r.stable),
    distinctUntilChanged((a, b) => a.weight === b.weight),
  );

  return {
    readings$: readings$.asObservable(),
    weight$,
    status$: status$.asObservable(),
    async read() {
      const f = await command('W');
      if (f.kind === 'weight')
        return { weight: f.weight, unit, stable: true, status: status$.value, at: clock.now() };
      if (f.kind === 'status' && f.status.motion)
        throw new KassaError('device.unstable_weight', 'the scale is in motion', { status: f.status });
      throw new KassaError('device.invalid_weight', 'the scale reported no valid weight', {
        ...(f.kind === 'status' ? { status: f.status } : {}),
      });
    },
    async stableWeight(opts = {}) {
      const deadline = clock.now() + (opts.timeoutMs ?? 10_000);
      for (;;) {
        try {
          const r = await this.read();
          if (Number(r.weight) > 0) return r;
        } catch (e) {
          if (
            !(e instanceof KassaError) ||
            (e.code !== 'device.unstable_weight' && e.code !== 'device.invalid_weight')
          )
            throw e;
        }
        if (clock.now() >= deadline) throw new KassaError('device.timeout', 'no stable positive weight');
        await new Promise<void>((r) => clock.setTimeout(r, 200));
      }
    },
    async zero() {
      const f = await command('Z');
      return f.kind === 'status' ? f.status : status$.value;
    },
    async tare() {
      const f = await command('T');
      return f.kind === 'status' ? f.status : status$.value;
    },
    dispose() {
      stopPolling?.();
      for (const s of subs) s.unsubscribe();
    },
  };
}
