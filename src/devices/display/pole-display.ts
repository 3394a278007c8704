import type { Observable, Subscription } from 'rxjs';
import * as z from 'zod/mini';
import { KassaError } from '../../errors.js';
import { checkOptions, transportSchema } from '../options.js';
import type { Transport } from '../transports/types.js';
import { type DisplayCommandSet, displayCommands, renderLines, twoColumns } from './commands.js';

/**
 * The part of a cart a customer display needs, as a structural type so the display does
 * not import the cart store: anything with this `state$` works.
 */
export interface CartLike {
  readonly state$: Observable<{
    readonly lines: readonly {
      readonly name?: string;
      readonly sku: string;
      readonly quantity: string | number;
      readonly total: string;
    }[];
    readonly totals: { readonly total: string };
    readonly currency: string;
  }>;
}

/** What a customer display shows for a cart state. */
export interface DisplayLines {
  readonly lines: readonly [string, string];
}

/** Options of {@link cartDisplayLines}. */
export interface CartDisplayFormat {
  width?: number;
  /** Label of the total line. Default `'TOTAL'`. */
  totalLabel?: string;
  /** Shown when the cart is empty. Default `['Welcome', '']`. */
  idle?: readonly [string, string];
}

type CartState = CartLike['state$'] extends Observable<infer S> ? S : never;

/** The two lines for a cart state: the last item with its line total, then the cart total. Pure. */
export function cartDisplayLines(state: CartState, format: CartDisplayFormat = {}): [string, string] {
  const width = format.width ?? 20;
  const last = state.lines[state.lines.length - 1];
  if (!last) return [...(format.idle ?? (['Welcome', ''] as const))];
  const qty = String(last.quantity);
  const name = qty === '1' ? (last.name ?? last.sku) : `${qty} ${last.name ?? last.sku}`;
  return [
    twoColumns(name, last.total, width),
    twoColumns(`${format.totalLabel ?? 'TOTAL'} ${state.currency}`, state.totals.total, width),
  ];
}

/** Options of {@link createPoleDisplay}. */
export interface PoleDisplayOptions {
  transport: Transport;
  /** Default `'epson'`. */
  commandSet?: DisplayCommandSet;
  /** Characters per line. Default 20. */
  width?: number;
}

/** A 2-line pole display (VFD or LCD) on a serial port. */
export interface PoleDisplay {
  /** Sends init and a clear screen (also done after every reconnect). */
  reset(): Promise<void>;
  /** Shows two lines (cut or padded to the width). */
  show(lines: readonly string[]): Promise<void>;
  clear(): Promise<void>;
  brightness(level: 1 | 2 | 3 | 4): Promise<void>;
  /** Follows a cart: the last item and the total after every change. Returns an unsubscribe. */
  follow(cart: CartLike, format?: CartDisplayFormat): () => void;
  /** The lines last shown, for tests and a mirrored on-screen preview. */
  shown(): readonly string[];
  dispose(): void;
}

const optionsSchema = z.looseObject({
  transport: transportSchema,
  commandSet: z.optional(z.enum(['epson', 'cd5220'])),
  width: z.optional(z.number().check(z.int(), z.minimum(1), z.maximum(80))),
});

/** Creates a {@link PoleDisplay}. */
export function createPoleDisplay(options: PoleDisplayOptions): PoleDisplay {
  checkOptions(optionsSchema, options, 'pole display options');
  const cmd = displayCommands(options.commandSet ?? 'epson');
  const width = options.width ?? 20;
  const { transport } = options;
  let current: string[] = ['', ''];
  const write = (b: Uint8Array) => transport.write(b);
  const subs: Subscription[] = [
    transport.connection$.subscribe((s) => {
      // A display loses its content when it loses power: repaint after a reconnect.
      if (s === 'connected') {
        void write(new Uint8Array([...cmd.init(), ...renderLines(cmd, current, width)])).catch(
          () => undefined,
        );
      }
    }),
  ];
  const display: PoleDisplay = {
    reset: () => write(new Uint8Array([...cmd.init(), ...cmd.clear()])),
    async show(lines) {
      if (!Array.isArray(lines) || lines.some((l) => typeof l !== 'string')) {
        throw new KassaError('device.invalid_input', 'show expects an array of strings');
      }
      current = [lines[0] ?? '', lines[1] ?? ''];
      await write(renderLines(cmd, current, width));
    },
    async clear() {
      current = ['', ''];
      await write(cmd.clear());
    },
    brightness: (level) => write(cmd.brightness(level)),
    follow(cart, format = {}) {
      const sub = cart.state$.subscribe((state) => {
        void display.show(cartDisplayLines(state, { width, ...format })).catch(() => undefined);
      });
      return () => sub.unsubscribe();
    },
    shown: () => current.slice(),
    dispose() {
      for (const s of subs) s.unsubscribe();
    },
  };
  return display;
}
