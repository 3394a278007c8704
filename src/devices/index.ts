/**
 * `kassa/devices`: browser-safe transports (WebHID, WebSerial, WebUSB, keyboard), drivers
 * for scanners, receipt printers, cash drawers, customer displays and scales, and pure
 * barcode parsing. Node transports (serial ports, TCP 9100) live in `kassa/devices/node`.
 * @packageDocumentation
 */
export * from './barcode/index.js';
export {
  type ChannelLike,
  type CustomerScreenMessage,
  customerScreenMessages,
  publishCartToScreen,
} from './display/broadcast.js';
export {
  CD5220_DISPLAY,
  type DisplayCommandSet,
  type DisplayCommands,
  displayCommands,
  EPSON_DISPLAY,
  renderLines,
  toDisplayText,
  twoColumns,
} from './display/commands.js';
export {
  type CartDisplayFormat,
  type CartLike,
  cartDisplayLines,
  createPoleDisplay,
  type DisplayLines,
  type PoleDisplay,
  type PoleDisplayOptions,
} from './display/pole-display.js';
export { type CashDrawer, type CashDrawerOptions, createCashDrawer, drawerKick } from './printer/drawer.js';
export {
  createPrinter,
  type Printer,
  type PrinterOptions,
  type PrintJob,
  type PrintJobState,
} from './printer/printer.js';
export {
  asbEnable,
  createStatusDecoder,
  decodeAsb,
  decodeRealtimeStatus,
  isAsbFirstByte,
  isRealtimeStatusByte,
  type PrinterStatus,
  realtimeStatusRequest,
  type StatusDecoder,
  type StatusEvent,
  type StatusSource,
} from './printer/status.js';
export { type CasScaleOptions, createCasScale, parseCasLine } from './scale/cas.js';
export {
  createToledoScale,
  decodeToledoStatus,
  parseToledoFrame,
  TOLEDO_8217_LINE,
  type ToledoFrame,
  type ToledoScaleOptions,
} from './scale/toledo.js';
export type { Scale, ScaleReading, ScaleStatus } from './scale/types.js';
export {
  createHidPosScanner,
  HID_POS_MODE_SWITCHES,
  type HidPosScannerOptions,
  switchToHidPos,
  switchTransportToHidPos,
} from './scanner/hid-pos.js';
export { createScannerHub, type ScannerHub } from './scanner/hub.js';
export { createKeyboardWedgeScanner, type KeyboardWedgeOptions } from './scanner/keyboard-wedge.js';
export { createSerialScanner, type SerialScannerOptions } from './scanner/serial-scanner.js';
export type { Scan, Scanner } from './scanner/types.js';
export {
  createKeyboardTransport,
  type KeyboardTransport,
  type KeyboardTransportOptions,
  type KeyStroke,
} from './transports/keyboard.js';
export { createMemoryTransport, type MemoryDevice } from './transports/memory.js';
export {
  type DeviceClass,
  grantedDevices,
  HID_SCANNER_FILTERS,
  requestHidScanner,
  requestSerialPort,
  requestUsbPrinter,
  SERIAL_FILTERS,
  USB_PRINTER_FILTERS,
  VENDOR_IDS,
} from './transports/permissions.js';
export type {
  ConnectionState,
  ReconnectOptions,
  Transport,
  TransportKind,
  TransportOptions,
} from './transports/types.js';
export { createWebHidTransport, type WebHidOptions, type WebHidTransport } from './transports/webhid.js';
export {
  createWebSerialTransport,
  findSerialPort,
  rememberSerialPort,
  type SerialLineOptions,
  type SerialPortCriteria,
  type WebSerialOptions,
} from './transports/webserial.js';
export { createWebUsbTransport, type WebUsbOptions } from './transports/webusb.js';
