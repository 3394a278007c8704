import { Subject, type Subscription } from 'rxjs';
import * as z from 'zod/mini';
import { type Clock, systemClock } from '../../clock.js';
import { KassaError } from '../../errors.js';
import { checkOptions, clockSchema, msSchema, textSchema, transportSchema } from '../options.js';
import type { Transport } from '../transports/types.js';
import { cleanScanText, makeScan } from './common.js';
import type { Scan, Scanner } from './types.js';

/** Options of {@link createSerialScanner}. */
export interface SerialScannerOptions {
  transport: Transport;
  id?: string;
  clock?: Clock;
  /** What ends a scan; default CR (a following LF is ignored). */
  suffix?: string;
  /** A prefix the scanner is configured to send, stripped when present. */
  prefix?: string;
  /** With no suffix seen, a pause this long ends the scan. Default 100 ms; 0 disables. */
  idleTimeoutMs?: number;
  /** Longest scan accepted; a longer run without a suffix is garbage and dropped. Default 4096. */
  maxLength?: number;
}

const optionsSchema = z.looseObject({
  transport: transportSchema,
  id: textSchema,
  clock: clockSchema,
  suffix: textSchema,
  prefix: textSchema,
  idleTimeoutMs: msSchema,
  maxLength: z.optional(z.number().check(z.int(), z.minimum(1))),
});

/**
 * A serial barcode scanner (RS-232 or a USB virtual COM port). Scans are framed by the
 * configured suffix, with an idle timeout as the fallback for scanners that send none.
 */
export function createSerialScanner(options: SerialScannerOptions): Scanner {
  checkOptions(optionsSchema, options, 'serial scanner options');
  const clock = options.clock ?? systemClock;
  const id = options.id ?? options.transport.label;
  const suffix = options.suffix ?? '\r';
  const idle = options.idleTimeoutMs ?? 100;
  const maxLength = options.maxLength ?? 4096;
  const scans$ = new Subject<Scan>();
  const errors$ = new Subject<KassaError>();
  const decoder = new TextDecoder('utf-8');
  let buffer = '';
  let cancel: (() => void) | undefined;

  const emit = (frame: string) => {
    let text = frame;
    if (options.prefix && text.startsWith(options.prefix)) text = text.slice(options.prefix.length);
    text = cleanScanText(text);
    if (text.length > 0) scans$.next(makeScan(text, id, clock.now()));
  };

  const onData = (bytes: Uint8Array) => {
    buffer += decoder.decode(bytes, { stream: true });
    for (;;) {
      const at = buffer.indexOf(suffix);
      if (at === -1) break;
      const frame = buffer.slice(0, at);
      buffer = buffer.slice(at + suffix.length);
      if (suffix === '\r' && buffer.startsWith('\n')) buffer = buffer.slice(1);
      emit(frame.replace(/^\n/, ''));
    }
    if (buffer.length > maxLength) {
      errors$.next(
        new KassaError('device.invalid_input', `${id}: ${buffer.length} bytes without a suffix, dropped`),
      );
      buffer = '';
    }
    cancel?.();
    cancel = undefined;
    if (buffer.length > 0 && idle > 0) {
      cancel = clock.setTimeout(() => {
        cancel = undefined;
        const frame = buffer;
        buffer = '';
        emit(frame);
      }, idle);
    }
  };

  const subs: Subscription[] = [
    options.transport.data$.subscribe(onData),
    options.transport.connection$.subscribe((s) => {
      if (s !== 'connected') {
        buffer = '';
        cancel?.();
        cancel = undefined;
      }
    }),
  ];

  return {
    id,
    scans$: scans$.asObservable(),
    errors$: errors$.asObservable(),
    connection$: options.transport.connection$,
    dispose() {
      cancel?.();
      for (const s of subs) s.unsubscribe();
    },
  };
}
