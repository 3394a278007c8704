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
import { nextValue } from '../next-value.js';
import { checkOptions, clockSchema, msSchema, transportSchema } from '../options.js';
import type { Transport } from '../transports/types.js';
import type { Scale, ScaleReading, ScaleStatus } from './types.js';

/**
 * Parses one line of the CAS-style continuous format, `ST,GS,+  1.234kg`: state (`ST`
 * stable, `US` unstable, `OL` overload), weight type (`GS` gross, `NT` net), sign, value,
 * unit. Returns undefined for anything else.
 */
export function parseCasLine(
  line: string,
): { stable: boolean; status: ScaleStatus; weight?: string; unit?: ScaleReading['unit'] } | undefined {
  const m = /^(ST|US|OL)\s*,\s*(GS|NT|TR)\s*,?\s*([+-]?)\s*(\d+(?:\.\d+)?)?\s*(kg|g|lb|oz)?\s*$/i.exec(
    line.trim(),
  );
  if (!m) return undefined;
  const state = m[1]!.toUpperCase();
  const status: ScaleStatus = {
    motion: state === 'US',
    overCapacity: state === 'OL',
    net: m[2]!.toUpperCase() === 'NT',
  };
  if (state === 'OL' || !m[4]) return { stable: false, status };
  const negative = m[3] === '-';
  const value = m[4].replace(/^0+(?=\d)/, '');
  return {
    stable: state === 'ST',
    status: { ...status, underZero: negative && Number(value) !== 0 },
    weight: negative && Number(value) !== 0 ? `-${value}` : value,
    unit: (m[5]?.toLowerCase() ?? 'kg') as ScaleReading['unit'],
  };
}

/** Options of {@link createCasScale}. */
export interface CasScaleOptions {
  transport: Transport;
  clock?: Clock;
  /** How long `read()` waits for the next line. Default 2000 ms. */
  readTimeoutMs?: number;
}

const optionsSchema = z.looseObject({
  transport: transportSchema,
  clock: clockSchema,
  readTimeoutMs: msSchema,
});

/**
 * A scale that streams its weight continuously (CAS and many compatible indicators):
 * one line per reading, the state in front. Nothing is sent to the scale.
 */
export function createCasScale(options: CasScaleOptions): Scale {
  checkOptions(optionsSchema, options, 'CAS scale options');
  const { transport } = options;
  const clock = options.clock ?? systemClock;
  const readTimeout = options.readTimeoutMs ?? 2000;
  const readings$ = new Subject<ScaleReading>();
  const status$ = new BehaviorSubject<ScaleStatus>({});
  const decoder = new TextDecoder('latin1');
  let text = '';

  const subs: Subscription[] = [
    transport.data$.subscribe((bytes) => {
      text += decoder.decode(bytes, { stream: true });
      for (;;) {
        const nl = text.search(/[\r\n]/);
        if (nl === -1) break;
        const line = text.slice(0, nl);
        text = text.slice(nl + 1);
        if (!line.trim()) continue;
        const p = parseCasLine(line);
        if (!p) {
          status$.next({ ...status$.value, error: true });
          continue;
        }
        status$.next(p.status);
        if (p.weight !== undefined && p.unit) {
          readings$.next({
            weight: p.weight,
            unit: p.unit,
            stable: p.stable,
            status: p.status,
            at: clock.now(),
          });
        }
      }
      if (text.length > 256) text = ''; // garbage without line ends
    }),
  ];

  const weight$: Observable<ScaleReading> = readings$.pipe(
    filter((r) => r.stable),
    distinctUntilChanged((a, b) => a.weight === b.weight && a.unit === b.unit),
  );
  const next = (pred: (r: ScaleReading) => boolean, ms: number) =>
    nextValue(
      readings$,
      pred,
      clock,
      ms,
      () => new KassaError('device.timeout', 'no reading from the scale'),
    );

  return {
    readings$: readings$.asObservable(),
    weight$,
    status$: status$.asObservable(),
    async read() {
      const r = await next(() => true, readTimeout);
      if (!r.stable) throw new KassaError('device.unstable_weight', 'the scale is in motion', { reading: r });
      return r;
    },
    stableWeight(opts = {}) {
      return next((r) => r.stable && Number(r.weight) > 0, opts.timeoutMs ?? 10_000);
    },
    async zero() {
      throw new KassaError('device.not_supported', 'a streaming scale cannot be zeroed from the till');
    },
    async tare() {
      throw new KassaError('device.not_supported', 'a streaming scale cannot be tared from the till');
    },
    dispose() {
      for (const s of subs) s.unsubscribe();
    },
  };
}
