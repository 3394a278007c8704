import { type Observable, Subject } from 'rxjs';
import { type Clock, systemClock } from '../../clock.js';
import { KassaError } from '../../errors.js';
import { createTransportCore } from './core.js';
import type { Transport, TransportOptions } from './types.js';

/** One key press as a keyboard-wedge scanner sees it. */
export interface KeyStroke {
  /** `KeyboardEvent.key`: `'4'`, `'A'`, `'Enter'`, `'Shift'`. */
  readonly key: string;
  /** When it arrived, from the transport's clock (ms). */
  readonly at: number;
  /** Lets a scanner keep a burst of scan keys out of a focused input. */
  preventDefault?(): void;
}

/** A transport over DOM key events: keyboard-wedge scanners and HID keyboards. */
export interface KeyboardTransport extends Transport {
  /** Every key press while open, with its arrival time. */
  readonly keys$: Observable<KeyStroke>;
}

/** Options of {@link createKeyboardTransport}. */
export interface KeyboardTransportOptions extends Omit<TransportOptions, 'chunkSize' | 'reconnect'> {
  /** Where to listen; default `window`. Listening on the window means no input needs focus. */
  target?: EventTarget;
  clock?: Clock;
}

/**
 * A transport over `keydown` events on the window (capture phase, so a scan is seen even
 * when no input has focus or a focused widget stops propagation). `data$` carries the
 * typed characters as UTF-8 with Enter as CR; `keys$` carries each stroke with its time,
 * which is what tells a scanner's burst from a person typing. Keyboards cannot be written to.
 */
export function createKeyboardTransport(options: KeyboardTransportOptions = {}): KeyboardTransport {
  const clock = options.clock ?? systemClock;
  const keys$ = new Subject<KeyStroke>();
  const encoder = new TextEncoder();
  const core = createTransportCore(
    'keyboard',
    options.label ?? 'keyboard',
    {
      async connect(sink) {
        const target = options.target ?? (globalThis as { window?: EventTarget }).window;
        if (!target) throw new KassaError('device.not_supported', 'no window to listen to for key events');
        const onKey = (e: Event) => {
          const k = e as KeyboardEvent;
          if (k.repeat) return;
          keys$.next({ key: k.key, at: clock.now(), preventDefault: () => k.preventDefault() });
          if (k.key.length === 1) sink.data(encoder.encode(k.key));
          else if (k.key === 'Enter') sink.data(new Uint8Array([13]));
          else if (k.key === 'Tab') sink.data(new Uint8Array([9]));
        };
        target.addEventListener('keydown', onKey, { capture: true });
        return {
          async write() {
            throw new KassaError('device.not_supported', 'a keyboard cannot be written to');
          },
          async close() {
            target.removeEventListener('keydown', onKey, { capture: true });
          },
        };
      },
    },
    { ...options, reconnect: false },
  );
  return { ...core, keys$: keys$.asObservable() };
}
