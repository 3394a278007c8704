import * as z from 'zod/mini';
import { KassaError } from '../../errors.js';
import { checkOptions, serialLineShape, transportOptionsShape } from '../options.js';
import { createTransportCore } from './core.js';
import type { Transport, TransportOptions } from './types.js';

/** Line settings of a serial port. */
export interface SerialLineOptions {
  baudRate: number;
  dataBits?: 7 | 8;
  stopBits?: 1 | 2;
  parity?: 'none' | 'even' | 'odd';
  flowControl?: 'none' | 'hardware';
  bufferSize?: number;
}

/**
 * How to find a remembered port again: by USB ids, or, for ports without USB ids (a
 * built-in RS-232 port, some adapters), by their position among the id-less ports.
 */
export interface SerialPortCriteria {
  usbVendorId?: number | undefined;
  usbProductId?: number | undefined;
  /** Position among the matching ports, default 0. */
  index?: number;
}

/** The identity to remember for `port` so {@link findSerialPort} finds it after a reload. */
export async function rememberSerialPort(serial: Serial, port: SerialPort): Promise<SerialPortCriteria> {
  const info = port.getInfo();
  const ports = await serial.getPorts();
  const same = ports.filter((p) => {
    const i = p.getInfo();
    return i.usbVendorId === info.usbVendorId && i.usbProductId === info.usbProductId;
  });
  const index = Math.max(0, same.indexOf(port));
  return {
    ...(info.usbVendorId !== undefined ? { usbVendorId: info.usbVendorId } : {}),
    ...(info.usbProductId !== undefined ? { usbProductId: info.usbProductId } : {}),
    index,
  };
}

/** Finds a port the user granted earlier (`navigator.serial.getPorts()`), without a prompt. */
export async function findSerialPort(
  serial: Serial,
  criteria: SerialPortCriteria,
): Promise<SerialPort | undefined> {
  const ports = await serial.getPorts();
  const same = ports.filter((p) => {
    const i = p.getInfo();
    return i.usbVendorId === criteria.usbVendorId && i.usbProductId === criteria.usbProductId;
  });
  return same[criteria.index ?? 0];
}

/** Options of {@link createWebSerialTransport}. */
export interface WebSerialOptions extends TransportOptions, SerialLineOptions {
  /** The port, or how to find it again (after a replug the browser may hand out a new object). */
  port: SerialPort | SerialPortCriteria;
  /** `navigator.serial`; default the global one. */
  serial?: Serial;
}

function label(port: SerialPort | SerialPortCriteria): string {
  const info = 'getInfo' in port ? port.getInfo() : port;
  const hex = (n: number | undefined) => (n === undefined ? '?' : `0x${n.toString(16).padStart(4, '0')}`);
  return info.usbVendorId === undefined
    ? 'WebSerial (no USB ids)'
    : `WebSerial ${hex(info.usbVendorId)}:${hex(info.usbProductId)}`;
}

const optionsSchema = z.looseObject({
  ...transportOptionsShape,
  ...serialLineShape,
  port: z.custom<unknown>((p) => typeof p === 'object' && p !== null, {
    message: 'expected a SerialPort or remembered criteria',
  }),
  flowControl: z.optional(z.enum(['none', 'hardware'])),
});

/**
 * A transport over the Web Serial API: printers, pole displays, scales and serial scanners
 * behind a USB-serial adapter or a real COM port. Reads run in a loop on `port.readable`;
 * writes await the stream writer, so a slow printer slows the writer instead of filling
 * memory. Reconnects when the port comes back (`connect` events) or by retrying.
 */
export function createWebSerialTransport(options: WebSerialOptions): Transport {
  checkOptions(optionsSchema, options, 'Web Serial options');
  const serial = options.serial ?? (globalThis.navigator as Navigator | undefined)?.serial;
  let current: SerialPort | undefined = 'getInfo' in options.port ? options.port : undefined;
  const criteria = 'getInfo' in options.port ? undefined : options.port;

  const resolve = async (): Promise<SerialPort> => {
    if (current && (!serial || (await serial.getPorts()).includes(current))) return current;
    const info = current?.getInfo() ?? criteria;
    const found =
      serial && info ? await findSerialPort(serial, { ...info, index: criteria?.index ?? 0 }) : undefined;
    if (!found) throw new KassaError('device.disconnected', 'serial port not available');
    current = found;
    return found;
  };

  return createTransportCore(
    'webserial',
    options.label ?? label(options.port),
    {
      async connect(sink) {
        if (!serial && !current) throw new KassaError('device.not_supported', 'Web Serial is not available');
        const port = await resolve();
        if (!port.readable) {
          await port.open({
            baudRate: options.baudRate,
            dataBits: options.dataBits ?? 8,
            stopBits: options.stopBits ?? 1,
            parity: options.parity ?? 'none',
            flowControl: options.flowControl ?? 'none',
            ...(options.bufferSize ? { bufferSize: options.bufferSize } : {}),
          });
        }
        const readable = port.readable;
        const writable = port.writable;
        if (!readable || !writable) throw new KassaError('device.open_failed', 'serial port has no streams');
        const reader = readable.getReader();
        const writer = writable.getWriter();
        let closed = false;
        const onDisconnect = () => sink.lost(new Error('serial port disconnected'));
        port.addEventListener('disconnect', onDisconnect);
        void (async () => {
          try {
            for (;;) {
              const { value, done } = await reader.read();
              if (done) break;
              if (value?.length) sink.data(value);
            }
          } catch {
            // a read error is how a vanished port shows up
          }
          if (!closed) sink.lost(new Error('serial port stream ended'));
        })();
        return {
          async write(chunk) {
            await writer.ready;
            await writer.write(chunk);
          },
          async close() {
            closed = true;
            port.removeEventListener('disconnect', onDisconnect);
            await reader.cancel().catch(() => undefined);
            reader.releaseLock();
            await writer.close().catch(() => undefined);
            try {
              writer.releaseLock();
            } catch {
              // already released
            }
            await port.close().catch(() => undefined);
          },
        };
      },
      watch(onAvailable) {
        if (!serial) return () => undefined;
        const handler = () => onAvailable();
        serial.addEventListener('connect', handler);
        return () => serial.removeEventListener('connect', handler);
      },
    },
    options,
    256,
  );
}
