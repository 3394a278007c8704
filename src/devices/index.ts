/**
 * `kassa/devices`: browser-safe transports (WebHID, WebSerial, WebUSB, keyboard), drivers
 * for scanners, receipt printers, cash drawers, customer displays and scales, and pure
 * barcode parsing. Node transports (serial ports, TCP 9100) live in `kassa/devices/node`.
 * @packageDocumentation
 */
export * from './barcode/index.js';
