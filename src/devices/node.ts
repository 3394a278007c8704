/**
 * `kassa/devices/node`: transports only Node has. Serial ports through the optional peer
 * dependency `serialport`, and TCP for network printers on port 9100. Every driver of
 * `kassa/devices` runs over them unchanged.
 * @packageDocumentation
 */
export {
  createSerialPortTransport,
  listSerialPorts,
  type SerialPortTransportOptions,
} from './node/serial.js';
export { createTcpTransport, type TcpTransportOptions } from './node/tcp.js';
