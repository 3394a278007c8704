import * as z from 'zod/mini';
import { KassaError } from '../../errors.js';
import { checkOptions, transportOptionsShape } from '../options.js';
import { createTransportCore } from './core.js';
import type { Transport, TransportOptions } from './types.js';

/** A WebHID transport; `write` sends an output report whose first byte is the report id. */
export interface WebHidTransport extends Transport {
  /** Sends a feature report (mode switches, configuration). */
  sendFeatureReport(reportId: number, data: Uint8Array): Promise<void>;
  /** Reads a feature report; the result starts with the report id. */
  receiveFeatureReport(reportId: number): Promise<Uint8Array>;
  /** The HIDDevice in use, if connected. */
  device(): HIDDevice | undefined;
}

/** Options of {@link createWebHidTransport}. */
export interface WebHidOptions extends TransportOptions {
  /** The device (from `requestDevice` or `getDevices`). */
  device: HIDDevice;
  /** `navigator.hid`; default the global one. */
  hid?: HID;
  /** Called after the device is opened, before data flows (e.g. to switch a scanner into HID POS mode). */
  onOpen?: (device: HIDDevice) => Promise<unknown>;
}

function sameModel(a: HIDDevice, b: HIDDevice): boolean {
  return a.vendorId === b.vendorId && a.productId === b.productId && a.productName === b.productName;
}

const optionsSchema = z.looseObject({
  ...transportOptionsShape,
  device: z.custom<unknown>((d) => typeof (d as { sendReport?: unknown } | null)?.sendReport === 'function', {
    message: 'expected a HIDDevice',
  }),
});

/**
 * A transport over WebHID. Each input report arrives on `data$` as one Uint8Array whose
 * first byte is the report id. When the device is unplugged and plugged back in, the
 * browser hands out a new HIDDevice object; kassa finds it among the granted devices and
 * carries on, where a driver that kept the old object would fail.
 */
export function createWebHidTransport(options: WebHidOptions): WebHidTransport {
  checkOptions(optionsSchema, options, 'WebHID options');
  const hid = options.hid ?? (globalThis.navigator as Navigator | undefined)?.hid;
  const original = options.device;
  let current: HIDDevice | undefined;

  const resolve = async (): Promise<HIDDevice> => {
    if (!hid) return original;
    const granted = await hid.getDevices();
    const prev = current ?? original;
    if (granted.includes(prev)) return prev;
    const found = granted.find((d) => sameModel(d, original));
    if (!found) throw new KassaError('device.disconnected', 'HID device not available');
    return found;
  };

  const core = createTransportCore(
    'webhid',
    options.label ?? `WebHID ${original.productName || `${original.vendorId}:${original.productId}`}`,
    {
      async connect(sink) {
        const device = await resolve();
        if (!device.opened) await device.open();
        current = device;
        const onReport = (e: HIDInputReportEvent) => {
          const body = new Uint8Array(e.data.buffer, e.data.byteOffset, e.data.byteLength);
          const out = new Uint8Array(body.length + 1);
          out[0] = e.reportId;
          out.set(body, 1);
          sink.data(out);
        };
        const onDisconnect = (e: HIDConnectionEvent) => {
          if (e.device === device) sink.lost(new Error('HID device disconnected'));
        };
        device.addEventListener('inputreport', onReport);
        hid?.addEventListener('disconnect', onDisconnect);
        if (options.onOpen) {
          try {
            await options.onOpen(device);
          } catch (e) {
            device.removeEventListener('inputreport', onReport);
            hid?.removeEventListener('disconnect', onDisconnect);
            throw e;
          }
        }
        return {
          async write(chunk) {
            if (chunk.length === 0) return;
            await device.sendReport(chunk[0]!, chunk.slice(1));
          },
          async close() {
            device.removeEventListener('inputreport', onReport);
            hid?.removeEventListener('disconnect', onDisconnect);
            if (device.opened) await device.close().catch(() => undefined);
          },
        };
      },
      watch(onAvailable) {
        if (!hid) return () => undefined;
        const handler = (e: HIDConnectionEvent) => {
          if (sameModel(e.device, original)) onAvailable();
        };
        hid.addEventListener('connect', handler);
        return () => hid.removeEventListener('connect', handler);
      },
    },
    options,
    Number.MAX_SAFE_INTEGER,
  );

  const connected = (): HIDDevice => {
    if (!core.currentLink() || !current)
      throw new KassaError('device.disconnected', `${core.label} is not connected`);
    return current;
  };

  return {
    kind: core.kind,
    label: core.label,
    data$: core.data$,
    connection$: core.connection$,
    connection: core.connection,
    open: core.open,
    close: core.close,
    write: core.write,
    device: () => (core.currentLink() ? current : undefined),
    async sendFeatureReport(reportId, data) {
      await connected().sendFeatureReport(reportId, data as Uint8Array<ArrayBuffer>);
    },
    async receiveFeatureReport(reportId) {
      const view = await connected().receiveFeatureReport(reportId);
      return new Uint8Array(view.buffer.slice(view.byteOffset, view.byteOffset + view.byteLength));
    },
  };
}
