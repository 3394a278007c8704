import { type Observable, Subject, type Subscription } from 'rxjs';
import * as z from 'zod/mini';
import { type Clock, systemClock } from '../../clock.js';
import type { KassaError } from '../../errors.js';
import { checkOptions, clockSchema, msSchema, textSchema } from '../options.js';
import type { KeyboardTransport, KeyStroke } from '../transports/keyboard.js';
import type { ConnectionState } from '../transports/types.js';
import { makeScan } from './common.js';
import type { Scan, Scanner } from './types.js';

/** Options of {@link createKeyboardWedgeScanner}. */
export interface KeyboardWedgeOptions {
  /** A keyboard transport, or any stream of key strokes (recorded traces in tests). */
  source: KeyboardTransport | { keys$: Observable<KeyStroke>; connection$?: Observable<ConnectionState> };
  id?: string;
  clock?: Clock;
  /**
   * Longest pause between two keys of one scan. Scanners type a character every 1-15 ms;
   * people rarely type two keys under 35 ms apart, never a whole code. Default 35 ms.
   */
  maxInterKeyMs?: number;
  /** Fewest characters a scan has; shorter fast runs are people. Default 6. */
  minLength?: number;
  /** Keys that end a scan. Default `['Enter']`; `['Enter', 'Tab']` for scanners set to send Tab. */
  suffixKeys?: string[];
  /** A prefix the scanner is configured to send (e.g. `'§'`); when set, scans must start with it. */
  prefix?: string;
  /** Without a suffix key, a pause this long after a fast run ends the scan. Default 0 (suffix needed). */
  idleTimeoutMs?: number;
  /**
   * Keep scan keys out of focused inputs: from the third key of a fast run on (two fast
   * keys can be a quick typist), key events and the ending suffix key are
   * `preventDefault`ed; the app clears the first two from its input on `scans$`. Default false.
   */
  consume?: boolean;
}

const MODIFIERS = new Set(['Shift', 'Control', 'Alt', 'Meta', 'AltGraph', 'CapsLock', 'NumLock']);

const optionsSchema = z.looseObject({
  source: z.custom<unknown>(
    (s) => typeof (s as { keys$?: { subscribe?: unknown } } | null)?.keys$?.subscribe === 'function',
    {
      message: 'expected a keyboard transport or { keys$ }',
    },
  ),
  id: textSchema,
  clock: clockSchema,
  maxInterKeyMs: z.optional(z.number().check(z.minimum(1), z.maximum(1000))),
  minLength: z.optional(z.number().check(z.int(), z.minimum(1))),
  suffixKeys: z.optional(z.array(z.string().check(z.minLength(1)))),
  prefix: textSchema,
  idleTimeoutMs: msSchema,
  consume: z.optional(z.boolean()),
});

/**
 * A keyboard-wedge scanner: a scanner that types. It is told apart from a person by
 * timing: a scan is a run of at least `minLength` characters, each within `maxInterKeyMs`
 * of the previous, ended by a suffix key (or an idle pause). Works without any input having
 * focus, because it listens on the window.
 */
export function createKeyboardWedgeScanner(options: KeyboardWedgeOptions): Scanner {
  checkOptions(optionsSchema, options, 'keyboard wedge options');
  const clock = options.clock ?? systemClock;
  const id =
    options.id ?? ('label' in options.source ? (options.source as KeyboardTransport).label : 'keyboard');
  const gapMax = options.maxInterKeyMs ?? 35;
  const minLength = options.minLength ?? 6;
  const suffixKeys = new Set(options.suffixKeys ?? ['Enter']);
  const idle = options.idleTimeoutMs ?? 0;
  const scans$ = new Subject<Scan>();
  const errors$ = new Subject<KassaError>();
  let chars: string[] = [];
  let lastAt = Number.NEGATIVE_INFINITY;
  let cancel: (() => void) | undefined;

  const finish = (at: number): boolean => {
    cancel?.();
    cancel = undefined;
    let text = chars.join('');
    chars = [];
    lastAt = Number.NEGATIVE_INFINITY;
    if (options.prefix) {
      if (!text.startsWith(options.prefix)) return false;
      text = text.slice(options.prefix.length);
    }
    if (text.length < minLength) return false;
    scans$.next(makeScan(text, id, at));
    return true;
  };

  const onKey = (k: KeyStroke) => {
    if (MODIFIERS.has(k.key)) return;
    const gap = k.at - lastAt;
    const fast = chars.length > 0 && gap <= gapMax;
    if (chars.length > 0 && !fast) {
      // too slow: what we had was typing; this key may start a scan
      chars = [];
    }
    if (suffixKeys.has(k.key)) {
      if (chars.length > 0 && finish(k.at) && options.consume) k.preventDefault?.();
      chars = [];
      return;
    }
    if (k.key.length !== 1) {
      chars = [];
      lastAt = Number.NEGATIVE_INFINITY;
      return;
    }
    // Two fast keys can be a quick typist's bigram; three in a row are a scanner.
    if (fast && chars.length >= 2 && options.consume) k.preventDefault?.();
    chars.push(k.key);
    lastAt = k.at;
    if (idle > 0) {
      cancel?.();
      cancel = clock.setTimeout(() => {
        cancel = undefined;
        finish(clock.now());
      }, idle);
    }
  };

  const subs: Subscription[] = [options.source.keys$.subscribe(onKey)];
  const connection$: Observable<ConnectionState> =
    options.source.connection$ ?? new Subject<ConnectionState>().asObservable();

  return {
    id,
    scans$: scans$.asObservable(),
    errors$: errors$.asObservable(),
    connection$,
    dispose() {
      cancel?.();
      for (const s of subs) s.unsubscribe();
    },
  };
}
