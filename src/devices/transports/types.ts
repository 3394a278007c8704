import type { Observable } from 'rxjs';
import type { Clock } from '../../clock.js';

/**
 * Where a transport is in its life. `reconnecting` means the device went away while the
 * app still wants it: kassa is waiting for it to come back (a connect event or a retry).
 */
export type ConnectionState = 'disconnected' | 'connecting' | 'connected' | 'reconnecting';

/** The kind of link under a transport. */
export type TransportKind = 'webhid' | 'webserial' | 'webusb' | 'keyboard' | 'serial' | 'tcp' | 'memory';

/**
 * One byte pipe to one device, whatever carries it. Drivers (scanner, printer, scale,
 * display) only ever see this interface, so each driver works over every transport.
 */
export interface Transport {
  readonly kind: TransportKind;
  /** A human label for logs and the device list ("WebSerial 0x0519:0x0001", "tcp 10.0.0.7:9100"). */
  readonly label: string;
  /** Bytes from the device, in arrival order. For WebHID each emission is one input report, report id first. */
  readonly data$: Observable<Uint8Array>;
  /** The connection state; emits the current state to new subscribers. */
  readonly connection$: Observable<ConnectionState>;
  /** The current connection state, synchronously. */
  connection(): ConnectionState;
  /** Opens the device. Resolves when connected; rejects with `device.open_failed`. */
  open(): Promise<void>;
  /** Closes the device and stops reconnecting. */
  close(): Promise<void>;
  /**
   * Writes bytes in chunks, awaiting the device (backpressure) between chunks. Writes never
   * interleave. Rejects with `device.disconnected` when the device is or goes away.
   */
  write(bytes: Uint8Array): Promise<void>;
}

/** How a transport retries after losing its device. */
export interface ReconnectOptions {
  /** Delays in ms between attempts; the last one repeats. Default `[250, 500, 1000, 2000, 5000]`. */
  delays?: number[];
}

/** Options every transport takes. */
export interface TransportOptions {
  /** Largest write handed to the device at once. */
  chunkSize?: number;
  /** Time source for retry delays. Default: the system clock. */
  clock?: Clock;
  /** Reconnect after the device is lost (default true), or `false` to stay disconnected. */
  reconnect?: boolean | ReconnectOptions;
  /** Overrides the transport's label. */
  label?: string;
}

/**
 * One open connection to a device, as a platform adapter provides it.
 * @internal
 */
export interface Link {
  write(chunk: Uint8Array): Promise<void>;
  close(): Promise<void>;
}

/**
 * Where an adapter reports what its open link sees.
 * @internal
 */
export interface LinkSink {
  data(bytes: Uint8Array): void;
  lost(reason?: unknown): void;
}

/**
 * A platform adapter: opens the device (again), and optionally says when it may be back.
 * @internal
 */
export interface LinkFactory {
  connect(sink: LinkSink): Promise<Link>;
  watch?(onAvailable: () => void): () => void;
}
