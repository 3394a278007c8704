import type { Observable } from 'rxjs';

/** Flags a scale reports about its state. */
export interface ScaleStatus {
  readonly motion?: boolean;
  readonly overCapacity?: boolean;
  readonly underZero?: boolean;
  readonly outsideZeroRange?: boolean;
  readonly centerOfZero?: boolean;
  /** The weight is net (a tare is active). */
  readonly net?: boolean;
  /** The scale reported an error or an unreadable frame. */
  readonly error?: boolean;
}

/** One weight reading. */
export interface ScaleReading {
  /** Decimal string in `unit`; never a float. */
  readonly weight: string;
  readonly unit: 'kg' | 'g' | 'lb' | 'oz';
  /** Only a stable reading may price a line. */
  readonly stable: boolean;
  readonly status: ScaleStatus;
  readonly at: number;
}

/** A scale driver. */
export interface Scale {
  /** Every reading, stable or not. */
  readonly readings$: Observable<ScaleReading>;
  /** Stable readings only, each weight once until it changes. */
  readonly weight$: Observable<ScaleReading>;
  /** Status flags as last reported. */
  readonly status$: Observable<ScaleStatus>;
  /** Asks for (or waits for) one reading. Rejects with `device.timeout` or `device.unstable_weight`. */
  read(): Promise<ScaleReading>;
  /** Resolves with the next stable reading above zero: what a weighed line needs. */
  stableWeight(options?: { timeoutMs?: number }): Promise<ScaleReading>;
  /** Zeroes the scale (if the protocol can). */
  zero(): Promise<ScaleStatus>;
  /** Tares the scale (if the protocol can). */
  tare(): Promise<ScaleStatus>;
  dispose(): void;
}
