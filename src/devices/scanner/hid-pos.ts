import { Subject, type Subscription } from 'rxjs';
import * as z from 'zod/mini';
import { type Clock, systemClock } from '../../clock.js';
import { KassaError } from '../../errors.js';
import { checkOptions, clockSchema, msSchema, textSchema, transportSchema } from '../options.js';
import type { Transport } from '../transports/types.js';
import type { WebHidTransport } from '../transports/webhid.js';
import { cleanScanText, makeScan } from './common.js';
import type { Scan, Scanner } from './types.js';

/** Options of {@link createHidPosScanner}. */
export interface HidPosScannerOptions {
  /** A transport whose `data$` yields input reports, report id first (WebHID does). */
  transport: Transport;
  id?: string;
  clock?: Clock;
  /** Report id of the Scanned Data Report; default 2. */
  reportId?: number;
  /** A scan split over several reports is dropped if its rest does not come within this time. Default 500 ms. */
  partialTimeoutMs?: number;
}

/**
 * Reads one HID POS Scanned Data Report (usage page 0x8C), the report id already removed:
 * byte 0 the data length, bytes 1-3 the AIM identifier (zeros when the scanner sends
 * none), then the data; in a fixed-size report the last byte flags that more reports follow.
 * @internal
 */
export function parseScannedDataReport(
  body: Uint8Array,
): { ok: true; aim?: string; data: string; more: boolean } | { ok: false; reason: string } {
  if (body.length < 5) return { ok: false, reason: `half report (${body.length} bytes)` };
  const len = body[0]!;
  const room = body.length - 4;
  if (len > room) return { ok: false, reason: `report claims ${len} bytes but holds ${room}` };
  const aimBytes = body.subarray(1, 4);
  const aim =
    aimBytes[0] === 0x5d ? String.fromCharCode(aimBytes[0]!, aimBytes[1]!, aimBytes[2]!) : undefined;
  let data = '';
  for (let i = 4; i < 4 + len; i++) data += String.fromCharCode(body[i]!);
  // Only a report with room after the data carries the continuation flag in its last byte.
  const more = room > len && body[body.length - 1] !== 0;
  return aim ? { ok: true, aim, data, more } : { ok: true, data, more };
}

const optionsSchema = z.looseObject({
  transport: transportSchema,
  id: textSchema,
  clock: clockSchema,
  reportId: z.optional(z.number().check(z.int(), z.minimum(0), z.maximum(255))),
  partialTimeoutMs: msSchema,
});

/**
 * A HID POS barcode scanner. Scans arrive as Scanned Data Reports with the AIM symbology
 * identifier in their own field, so the symbology is never lost; long codes spanning
 * several reports are put back together. Half reports and garbage are reported on
 * `errors$` and dropped. A scan cut short by an unplug is dropped, never half-delivered.
 */
export function createHidPosScanner(options: HidPosScannerOptions): Scanner {
  checkOptions(optionsSchema, options, 'HID POS scanner options');
  const clock = options.clock ?? systemClock;
  const id = options.id ?? options.transport.label;
  const reportId = options.reportId ?? 2;
  const partialTimeout = options.partialTimeoutMs ?? 500;
  const scans$ = new Subject<Scan>();
  const errors$ = new Subject<KassaError>();
  let parts: string[] = [];
  let aim: string | undefined;
  let cancel: (() => void) | undefined;

  const reset = () => {
    parts = [];
    aim = undefined;
    cancel?.();
    cancel = undefined;
  };

  const subs: Subscription[] = [
    options.transport.data$.subscribe((report) => {
      if (report[0] !== reportId) return; // other reports (status, settings) are not scans
      const r = parseScannedDataReport(report.subarray(1));
      if (!r.ok) {
        errors$.next(
          new KassaError('device.invalid_input', `${id}: ${r.reason}`, { report: Array.from(report) }),
        );
        return;
      }
      if (parts.length === 0) aim = r.aim;
      parts.push(r.data);
      cancel?.();
      cancel = undefined;
      if (r.more) {
        cancel = clock.setTimeout(() => {
          errors$.next(new KassaError('device.timeout', `${id}: scan continuation never came`));
          reset();
        }, partialTimeout);
        return;
      }
      const text = cleanScanText(parts.join(''));
      const first = aim;
      reset();
      if (text.length > 0) scans$.next(makeScan(text, id, clock.now(), first ? { aim: first } : {}));
    }),
    options.transport.connection$.subscribe((s) => {
      if (s !== 'connected') reset();
    }),
  ];

  return {
    id,
    scans$: scans$.asObservable(),
    errors$: errors$.asObservable(),
    connection$: options.transport.connection$,
    dispose() {
      reset();
      for (const s of subs) s.unsubscribe();
    },
  };
}

/**
 * Feature reports that switch scanners from keyboard emulation into HID POS mode, per
 * USB vendor id. Honeywell scanners take feature report 0xFE with value 1.
 */
export const HID_POS_MODE_SWITCHES: Readonly<Record<number, { reportId: number; data: readonly number[] }>> =
  {
    3118: { reportId: 0xfe, data: [0x01] },
  };

/**
 * Switches a scanner into HID POS mode when kassa knows how for its vendor; use it as the
 * WebHID transport's `onOpen`. Returns whether a switch was sent.
 */
export async function switchToHidPos(device: HIDDevice): Promise<boolean> {
  const sw = HID_POS_MODE_SWITCHES[device.vendorId];
  if (!sw) return false;
  await device.sendFeatureReport(sw.reportId, new Uint8Array(sw.data));
  return true;
}

/** {@link switchToHidPos} for a WebHID transport that is already open. */
export async function switchTransportToHidPos(transport: WebHidTransport): Promise<boolean> {
  const device = transport.device();
  if (!device) throw new KassaError('device.disconnected', `${transport.label} is not connected`);
  return switchToHidPos(device);
}
