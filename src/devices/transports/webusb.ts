import * as z from 'zod/mini';
import { KassaError } from '../../errors.js';
import { checkOptions, transportOptionsShape } from '../options.js';
import { createTransportCore } from './core.js';
import type { Transport, TransportOptions } from './types.js';

/** Options of {@link createWebUsbTransport}. */
export interface WebUsbOptions extends TransportOptions {
  device: USBDevice;
  /** `navigator.usb`; default the global one. */
  usb?: USB;
  /** Interface to claim; default the first with a bulk OUT endpoint (a printer-class one first). */
  interfaceNumber?: number;
}

function pickInterface(device: USBDevice, wanted?: number): USBInterface | undefined {
  const ifaces = device.configuration?.interfaces ?? [];
  const bulkOut = (i: USBInterface) =>
    i.alternate.endpoints.some((e) => e.direction === 'out' && e.type === 'bulk');
  if (wanted !== undefined) return ifaces.find((i) => i.interfaceNumber === wanted);
  return ifaces.find((i) => i.alternate.interfaceClass === 7 && bulkOut(i)) ?? ifaces.find(bulkOut);
}

function sameDevice(a: USBDevice, b: USBDevice): boolean {
  return (
    a.vendorId === b.vendorId &&
    a.productId === b.productId &&
    (a.serialNumber ?? '') === (b.serialNumber ?? '')
  );
}

const optionsSchema = z.looseObject({
  ...transportOptionsShape,
  device: z.custom<unknown>(
    (d) => typeof (d as { transferOut?: unknown } | null)?.transferOut === 'function',
    { message: 'expected a USBDevice' },
  ),
  interfaceNumber: z.optional(z.number().check(z.int(), z.minimum(0))),
});

/**
 * A transport over WebUSB bulk endpoints: USB receipt printers that the OS does not claim.
 * Reads poll the bulk IN endpoint (status bytes, ASB); writes are `transferOut` calls of at
 * most `chunkSize` bytes, each awaited.
 */
export function createWebUsbTransport(options: WebUsbOptions): Transport {
  checkOptions(optionsSchema, options, 'WebUSB options');
  const usb = options.usb ?? (globalThis.navigator as Navigator | undefined)?.usb;
  const original = options.device;
  let current: USBDevice = original;

  const resolve = async (): Promise<USBDevice> => {
    if (!usb) return current;
    const granted = await usb.getDevices();
    if (granted.includes(current)) return current;
    const found = granted.find((d) => sameDevice(d, original));
    if (!found) throw new KassaError('device.disconnected', 'USB device not available');
    current = found;
    return found;
  };

  return createTransportCore(
    'webusb',
    options.label ?? `WebUSB ${original.productName ?? `${original.vendorId}:${original.productId}`}`,
    {
      async connect(sink) {
        const device = await resolve();
        if (!device.opened) await device.open();
        if (!device.configuration) await device.selectConfiguration(1);
        const iface = pickInterface(device, options.interfaceNumber);
        if (!iface) throw new KassaError('device.not_supported', 'no USB interface with a bulk OUT endpoint');
        if (!iface.claimed) await device.claimInterface(iface.interfaceNumber);
        const out = iface.alternate.endpoints.find((e) => e.direction === 'out' && e.type === 'bulk')!;
        const inEp = iface.alternate.endpoints.find((e) => e.direction === 'in' && e.type === 'bulk');
        let closed = false;
        const onDisconnect = (e: USBConnectionEvent) => {
          if (e.device === device) sink.lost(new Error('USB device disconnected'));
        };
        usb?.addEventListener('disconnect', onDisconnect);
        if (inEp) {
          void (async () => {
            while (!closed) {
              try {
                const r = await device.transferIn(inEp.endpointNumber, inEp.packetSize || 64);
                if (r.status === 'stall') await device.clearHalt('in', inEp.endpointNumber);
                else if (r.data && r.data.byteLength > 0) {
                  sink.data(
                    new Uint8Array(
                      r.data.buffer.slice(r.data.byteOffset, r.data.byteOffset + r.data.byteLength),
                    ),
                  );
                }
              } catch {
                if (!closed) sink.lost(new Error('USB read failed'));
                return;
              }
            }
          })();
        }
        return {
          async write(chunk) {
            const r = await device.transferOut(out.endpointNumber, chunk as Uint8Array<ArrayBuffer>);
            if (r.status !== 'ok') throw new Error(`transferOut ${r.status}`);
          },
          async close() {
            closed = true;
            usb?.removeEventListener('disconnect', onDisconnect);
            if (device.opened) {
              await device.releaseInterface(iface.interfaceNumber).catch(() => undefined);
              await device.close().catch(() => undefined);
            }
          },
        };
      },
      watch(onAvailable) {
        if (!usb) return () => undefined;
        const handler = (e: USBConnectionEvent) => {
          if (sameDevice(e.device, original)) onAvailable();
        };
        usb.addEventListener('connect', handler);
        return () => usb.removeEventListener('connect', handler);
      },
    },
    options,
    4096,
  );
}
