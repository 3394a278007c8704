/** The status a receipt printer reports, merged from DLE EOT replies and ASB. */
export interface PrinterStatus {
  /** False when the printer reports itself offline (cover open, paper out, error). */
  readonly online?: boolean;
  readonly coverOpen?: boolean;
  readonly paperNearEnd?: boolean;
  readonly paperOut?: boolean;
  /** The feed button is held down. */
  readonly feedButton?: boolean;
  /** The printer waits for an error to be cleared before it goes back online. */
  readonly waitingForRecovery?: boolean;
  /** An error of any kind is present (DLE EOT 2 bit 6, or any error bit). */
  readonly error?: boolean;
  readonly mechanicalError?: boolean;
  readonly autocutterError?: boolean;
  readonly unrecoverableError?: boolean;
  readonly autoRecoverableError?: boolean;
  /** Level of the drawer-open sensor (kick connector pin 3): true = high. */
  readonly drawerSignalHigh?: boolean;
}

/** Which status reply a byte answered. */
export type StatusSource = 1 | 2 | 3 | 4 | 'asb';

const bit = (b: number, n: number): boolean => (b & (1 << n)) !== 0;

/** True when `b` has the fixed bits of a DLE EOT reply (bits 1 and 4 set, 0 and 7 clear). */
export function isRealtimeStatusByte(b: number): boolean {
  return (b & 0x93) === 0x12;
}

/** True when `b` can start an ASB block (bit 4 set; bits 0, 1 and 7 clear). */
export function isAsbFirstByte(b: number): boolean {
  return (b & 0x93) === 0x10;
}

/**
 * Decodes the one-byte reply to `DLE EOT n` (ESC/POS real-time status transmission).
 * Returns undefined when the byte does not have the reply's fixed bits.
 */
export function decodeRealtimeStatus(n: 1 | 2 | 3 | 4, b: number): PrinterStatus | undefined {
  if (!isRealtimeStatusByte(b)) return undefined;
  switch (n) {
    case 1:
      return {
        drawerSignalHigh: bit(b, 2),
        online: !bit(b, 3),
        waitingForRecovery: bit(b, 5),
        feedButton: bit(b, 6),
      };
    case 2:
      return { coverOpen: bit(b, 2), paperOut: bit(b, 5), error: bit(b, 6) };
    case 3:
      return {
        mechanicalError: bit(b, 2),
        autocutterError: bit(b, 3),
        unrecoverableError: bit(b, 5),
        autoRecoverableError: bit(b, 6),
      };
    case 4:
      return { paperNearEnd: bit(b, 2) || bit(b, 3), paperOut: bit(b, 5) || bit(b, 6) };
  }
}

/**
 * Decodes a 4-byte Automatic Status Back block (enabled with `GS a n`). Returns undefined
 * when a byte lacks the fixed bits, so a misaligned stream is never misread.
 */
export function decodeAsb(bytes: ArrayLike<number>): PrinterStatus | undefined {
  if (bytes.length < 4) return undefined;
  const [b1, b2, b3, b4] = [bytes[0]!, bytes[1]!, bytes[2]!, bytes[3]!];
  if (!isAsbFirstByte(b1) || (b2 & 0x90) !== 0 || (b3 & 0x90) !== 0 || (b4 & 0x90) !== 0) return undefined;
  const errors = {
    mechanicalError: bit(b2, 2),
    autocutterError: bit(b2, 3),
    unrecoverableError: bit(b2, 5),
    autoRecoverableError: bit(b2, 6),
  };
  return {
    drawerSignalHigh: bit(b1, 2),
    online: !bit(b1, 3),
    coverOpen: bit(b1, 5),
    feedButton: bit(b1, 6),
    ...errors,
    error: Object.values(errors).some(Boolean),
    paperNearEnd: bit(b3, 0) || bit(b3, 1),
    paperOut: bit(b3, 2) || bit(b3, 3),
  };
}

/** A decoded status reply and what it answered. */
export interface StatusEvent {
  readonly source: StatusSource;
  readonly status: PrinterStatus;
}

/**
 * Decodes the byte stream coming back from an ESC/POS printer: replies to the DLE EOT
 * requests it was told about (`expect`), in order, and ASB blocks whenever they come.
 * Bytes that fit neither are counted and skipped; the decoder never throws.
 */
export interface StatusDecoder {
  /** A `DLE EOT n` was sent; its reply is the next status byte. */
  expect(n: 1 | 2 | 3 | 4): void;
  /** Feeds received bytes; returns the replies decoded from them. */
  push(bytes: ArrayLike<number>): StatusEvent[];
  /** Bytes skipped because they fit no pattern. */
  readonly skipped: number;
  /** Forgets pending requests and a half ASB block (after a reconnect). */
  reset(): void;
}

/** Creates a {@link StatusDecoder}. */
export function createStatusDecoder(): StatusDecoder {
  const pending: Array<1 | 2 | 3 | 4> = [];
  let asb: number[] = [];
  let skipped = 0;
  return {
    expect(n) {
      pending.push(n);
    },
    push(bytes) {
      const out: StatusEvent[] = [];
      for (let i = 0; i < bytes.length; i++) {
        const b = bytes[i]!;
        if (asb.length > 0) {
          asb.push(b);
          if ((b & 0x90) !== 0) {
            // not an ASB continuation: drop the block and look at this byte afresh
            skipped += asb.length - 1;
            asb = [];
          } else {
            if (asb.length === 4) {
              const status = decodeAsb(asb);
              asb = [];
              if (status) out.push({ source: 'asb', status });
            }
            continue;
          }
        }
        if (isRealtimeStatusByte(b) && pending.length > 0) {
          const n = pending.shift()!;
          out.push({ source: n, status: decodeRealtimeStatus(n, b)! });
        } else if (isAsbFirstByte(b)) {
          asb = [b];
        } else {
          skipped++;
        }
      }
      return out;
    },
    get skipped() {
      return skipped;
    },
    reset() {
      pending.length = 0;
      asb = [];
    },
  };
}

/** `DLE EOT n`: ask for real-time status n (1 printer, 2 offline cause, 3 errors, 4 paper). */
export function realtimeStatusRequest(n: 1 | 2 | 3 | 4): Uint8Array {
  return new Uint8Array([0x10, 0x04, n]);
}

/** `GS a n`: enable Automatic Status Back for drawer, online, error and paper changes (n = 0x0F), or 0 to disable. */
export function asbEnable(mask = 0x0f): Uint8Array {
  return new Uint8Array([0x1d, 0x61, mask & 0xff]);
}
