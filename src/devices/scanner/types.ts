import type { Observable } from 'rxjs';
import type { KassaError } from '../../errors.js';
import type { Symbology } from '../barcode/aim.js';
import type { ConnectionState } from '../transports/types.js';

/** One barcode read, the same whatever scanner or transport produced it. */
export interface Scan {
  /** The data without AIM identifier, prefix or suffix. GS1 separators stay as `\x1d`. */
  readonly data: string;
  /** The symbology, from the AIM identifier or the scanner; `'unknown'` when not told. */
  readonly symbology: Symbology;
  /** The AIM identifier as sent (`']E0'`), when there was one. */
  readonly aim?: string;
  /** Which scanner read it (its id). */
  readonly source: string;
  /** When the scan completed (clock ms). */
  readonly at: number;
}

/** A scanner driver. */
export interface Scanner {
  readonly id: string;
  /** Completed scans. */
  readonly scans$: Observable<Scan>;
  /** Frames the driver dropped (half reports, garbage), for logs; the driver keeps running. */
  readonly errors$: Observable<KassaError>;
  /** The underlying transport's connection state. */
  readonly connection$: Observable<ConnectionState>;
  /** Stops listening (does not close the transport). */
  dispose(): void;
}
