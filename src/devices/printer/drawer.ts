import { map, type Observable } from 'rxjs';
import * as z from 'zod/mini';
import { KassaError } from '../../errors.js';
import { checkOptions } from '../options.js';
import type { Printer } from './printer.js';

/** Options of {@link createCashDrawer}. */
export interface CashDrawerOptions {
  /** The printer the drawer is plugged into. */
  printer: Printer;
  /** Kick connector pin: 2 (the usual one) or 5 (a second drawer). Default 2. */
  pin?: 2 | 5;
  /** Pulse on time in ms (2 ms steps, up to 510). Default 100. */
  onMs?: number;
  /** Pulse off time in ms. Default 200. */
  offMs?: number;
  /** Level of the drawer-open sensor that means "open"; drawers differ. Default `'low'`. */
  openWhen?: 'high' | 'low';
}

/** A cash drawer. */
export interface CashDrawer {
  /** `'open'`, `'closed'` or `'unknown'` (no status yet), from the printer's status. */
  readonly state$: Observable<'open' | 'closed' | 'unknown'>;
  /** Sends the kick pulse. Rejects with `device.no_printer` when the printer is not connected. */
  open(): Promise<void>;
}

/** `ESC p m t1 t2`: the drawer kick pulse. Times are in ms and rounded to the 2 ms unit. */
export function drawerKick(pin: 2 | 5 = 2, onMs = 100, offMs = 200): Uint8Array {
  const unit = (ms: number) => Math.min(255, Math.max(1, Math.round(ms / 2)));
  return new Uint8Array([0x1b, 0x70, pin === 2 ? 0 : 1, unit(onMs), unit(offMs)]);
}

const optionsSchema = z.looseObject({
  printer: z.custom<unknown>((p) => typeof (p as { print?: unknown } | null)?.print === 'function', {
    message: 'expected a Printer',
  }),
  pin: z.optional(z.union([z.literal(2), z.literal(5)])),
  onMs: z.optional(z.number().check(z.minimum(2), z.maximum(510))),
  offMs: z.optional(z.number().check(z.minimum(2), z.maximum(510))),
  openWhen: z.optional(z.enum(['high', 'low'])),
});

/**
 * A cash drawer on a receipt printer's kick connector. The pulse goes through the print
 * queue so it never lands inside another job's bytes.
 */
export function createCashDrawer(options: CashDrawerOptions): CashDrawer {
  checkOptions(optionsSchema, options, 'cash drawer options');
  const { printer } = options;
  const pin = options.pin ?? 2;
  const kick = drawerKick(pin, options.onMs ?? 100, options.offMs ?? 200);
  const openHigh = (options.openWhen ?? 'low') === 'high';
  return {
    state$: printer.status$.pipe(
      map((s) =>
        s.drawerSignalHigh === undefined ? 'unknown' : s.drawerSignalHigh === openHigh ? 'open' : 'closed',
      ),
    ),
    async open() {
      if (printer.connection() !== 'connected') {
        throw new KassaError('device.no_printer', 'cannot open the drawer: its printer is not connected', {
          connection: printer.connection(),
        });
      }
      await printer.print(kick);
    },
  };
}
