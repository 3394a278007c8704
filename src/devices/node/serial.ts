import * as z from 'zod/mini';
import { KassaError } from '../../errors.js';
import { checkOptions, serialLineShape, transportOptionsShape } from '../options.js';
import { createTransportCore } from '../transports/core.js';
import type { Transport, TransportOptions } from '../transports/types.js';

/** Options of {@link createSerialPortTransport}. */
export interface SerialPortTransportOptions extends TransportOptions {
  /**
   * The device path (`/dev/ttyUSB0`, `COM3`), or a function that finds it again on each
   * (re)connect (a USB adapter may come back under another name).
   */
  path: string | (() => Promise<string | undefined>);
  baudRate: number;
  dataBits?: 7 | 8;
  stopBits?: 1 | 2;
  parity?: 'none' | 'even' | 'odd';
  rtscts?: boolean;
}

interface SerialPortLike {
  open(cb: (err: Error | null) => void): void;
  close(cb?: (err: Error | null) => void): void;
  write(data: Uint8Array, cb?: (err: Error | null | undefined) => void): boolean;
  drain(cb: (err: Error | null) => void): void;
  on(event: 'data', fn: (b: Buffer) => void): void;
  on(event: 'close' | 'error', fn: (e?: Error) => void): void;
  removeAllListeners(): void;
  readonly isOpen: boolean;
}

type SerialPortCtor = new (opts: {
  path: string;
  baudRate: number;
  dataBits?: 5 | 6 | 7 | 8;
  stopBits?: 1 | 1.5 | 2;
  parity?: 'none' | 'even' | 'odd';
  rtscts?: boolean;
  autoOpen: boolean;
}) => SerialPortLike;

async function loadSerialPort(): Promise<SerialPortCtor> {
  try {
    const mod = (await import('serialport')) as unknown as { SerialPort: SerialPortCtor };
    return mod.SerialPort;
  } catch (e) {
    throw new KassaError(
      'device.not_supported',
      'serial ports need the optional peer dependency "serialport" (npm install serialport)',
      {},
      { cause: e },
    );
  }
}

/** Serial ports Node can see, with their USB ids where there are any. */
export async function listSerialPorts(): Promise<
  Array<{ path: string; vendorId?: string; productId?: string; serialNumber?: string }>
> {
  const mod = (await import('serialport').catch(() => undefined)) as
    | {
        SerialPort: {
          list(): Promise<
            Array<{ path: string; vendorId?: string; productId?: string; serialNumber?: string }>
          >;
        };
      }
    | undefined;
  if (!mod) throw new KassaError('device.not_supported', 'install the optional peer dependency "serialport"');
  return mod.SerialPort.list();
}

const optionsSchema = z.looseObject({
  ...transportOptionsShape,
  ...serialLineShape,
  path: z.union([z.string().check(z.minLength(1)), z.custom<unknown>((f) => typeof f === 'function')]),
  rtscts: z.optional(z.boolean()),
});

/**
 * A transport over a Node serial port, through the optional peer dependency `serialport`
 * (loaded on first open, so apps that never open a port need not install it). Writes wait
 * for the OS to drain each chunk. A port that disappears is reopened on a back-off timer.
 */
export function createSerialPortTransport(options: SerialPortTransportOptions): Transport {
  checkOptions(optionsSchema, options, 'serial port options');
  const label = options.label ?? `serial ${typeof options.path === 'string' ? options.path : '(resolved)'}`;
  return createTransportCore(
    'serial',
    label,
    {
      async connect(sink) {
        const SerialPort = await loadSerialPort();
        const path = typeof options.path === 'string' ? options.path : await options.path();
        if (!path) throw new KassaError('device.disconnected', 'serial port not found');
        const port = new SerialPort({
          path,
          baudRate: options.baudRate,
          dataBits: options.dataBits ?? 8,
          stopBits: options.stopBits ?? 1,
          parity: options.parity ?? 'none',
          rtscts: options.rtscts ?? false,
          autoOpen: false,
        });
        await new Promise<void>((resolve, reject) => port.open((err) => (err ? reject(err) : resolve())));
        let closing = false;
        port.on('data', (b: Buffer) => sink.data(new Uint8Array(b.buffer, b.byteOffset, b.byteLength)));
        port.on('close', () => {
          if (!closing) sink.lost(new Error('serial port closed'));
        });
        port.on('error', (e) => {
          if (!closing) sink.lost(e);
        });
        return {
          write: (chunk) =>
            new Promise<void>((resolve, reject) => {
              port.write(chunk, (err) => {
                if (err) reject(err);
              });
              port.drain((err) => (err ? reject(err) : resolve()));
            }),
          close: () =>
            new Promise<void>((resolve) => {
              closing = true;
              // A write still in flight on a hung-up line fails after this (EIO): a stream
              // error without a listener would crash the app, and it no longer matters.
              const forget = () => {
                port.removeAllListeners();
                port.on('error', () => undefined);
                resolve();
              };
              if (!port.isOpen) {
                forget();
                return;
              }
              port.close(forget);
            }),
        };
      },
    },
    options,
    1024,
  );
}
