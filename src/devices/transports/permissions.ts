import { KassaError } from '../../errors.js';

/** The device classes kassa knows how to ask the browser for. */
export type DeviceClass = 'scanner' | 'printer' | 'serial';

/** USB vendor ids of common point-of-sale hardware. */
export const VENDOR_IDS = {
  honeywell: 0x0c2e,
  zebra: 0x05e0,
  datalogic: 0x05f9,
  epson: 0x04b8,
  star: 0x0519,
  bixolon: 0x1504,
  citizen: 0x1d90,
  ftdi: 0x0403,
  prolific: 0x067b,
  siliconLabs: 0x10c4,
  wch: 0x1a86,
} as const;

/**
 * Filters for `navigator.hid.requestDevice`: anything on the HID POS barcode scanner
 * usage page (0x8C), plus the scanner makers' vendor ids for models that expose a
 * vendor page until switched into HID POS mode.
 */
export const HID_SCANNER_FILTERS: HIDDeviceFilter[] = [
  { usagePage: 0x8c },
  { vendorId: VENDOR_IDS.honeywell },
  { vendorId: VENDOR_IDS.zebra },
  { vendorId: VENDOR_IDS.datalogic },
];

/** Filters for `navigator.usb.requestDevice`: USB printer class 7 and receipt printer makers. */
export const USB_PRINTER_FILTERS: USBDeviceFilter[] = [
  { classCode: 7 },
  { vendorId: VENDOR_IDS.epson },
  { vendorId: VENDOR_IDS.star },
  { vendorId: VENDOR_IDS.bixolon },
  { vendorId: VENDOR_IDS.citizen },
];

/**
 * Filters for `navigator.serial.requestPort`: the usual USB-serial bridges. An empty list
 * (pass `{ all: true }` to {@link requestSerialPort}) shows every port, including built-in
 * RS-232 ports, which have no USB ids at all.
 */
export const SERIAL_FILTERS: SerialPortFilter[] = [
  { usbVendorId: VENDOR_IDS.ftdi },
  { usbVendorId: VENDOR_IDS.prolific },
  { usbVendorId: VENDOR_IDS.siliconLabs },
  { usbVendorId: VENDOR_IDS.wch },
  { usbVendorId: VENDOR_IDS.star },
  { usbVendorId: VENDOR_IDS.epson },
];

/**
 * Chromium reports a refused chooser as a DOMException (`SecurityError`, `NotAllowedError`)
 * whose numeric `code` means nothing to a caller switching on kassa codes. Cancelling the
 * chooser (`NotFoundError`) is not an error and is handled by the callers.
 */
function permissionError(e: unknown, api: string): unknown {
  const name = (e as { name?: unknown } | null)?.name;
  if (name !== 'SecurityError' && name !== 'NotAllowedError') return e;
  const message = String((e as { message?: unknown }).message ?? '');
  const details = { api, name, message };
  if (/user gesture|user activation/i.test(message)) {
    return new KassaError(
      'device.no_user_gesture',
      `${api}: the chooser can only open from a user gesture (call it in a click handler)`,
      details,
      { cause: e },
    );
  }
  return new KassaError('device.permission_denied', `${api}: access to the device was refused`, details, {
    cause: e,
  });
}

function nav(): Navigator | undefined {
  return (globalThis as { navigator?: Navigator }).navigator;
}

/**
 * Shows the browser's HID chooser for scanners. Call it from the app's own click handler:
 * browsers only show choosers in response to a user gesture.
 *
 * @throws KassaError `device.not_supported` without WebHID; `device.no_user_gesture` when
 * called outside a user gesture; `device.permission_denied` when a permissions policy or the
 * user's settings block the API. The browser's own exception is the error's `cause`.
 */
export async function requestHidScanner(hid: HID | undefined = nav()?.hid): Promise<HIDDevice | undefined> {
  if (!hid) throw new KassaError('device.not_supported', 'WebHID is not available in this browser');
  try {
    const [device] = await hid.requestDevice({ filters: HID_SCANNER_FILTERS });
    return device;
  } catch (e) {
    throw permissionError(e, 'WebHID');
  }
}

/**
 * Shows the browser's USB chooser for receipt printers; call it from a click handler.
 * Resolves undefined when the user cancels.
 *
 * @throws KassaError `device.not_supported`, `device.no_user_gesture` or
 * `device.permission_denied` (the browser's exception as `cause`), as {@link requestHidScanner}.
 */
export async function requestUsbPrinter(usb: USB | undefined = nav()?.usb): Promise<USBDevice | undefined> {
  if (!usb) throw new KassaError('device.not_supported', 'WebUSB is not available in this browser');
  try {
    return await usb.requestDevice({ filters: USB_PRINTER_FILTERS });
  } catch (e) {
    if ((e as { name?: string }).name === 'NotFoundError') return undefined; // the user cancelled
    throw permissionError(e, 'WebUSB');
  }
}

/**
 * Shows the browser's serial port chooser; call it from a click handler. Resolves undefined
 * when the user cancels.
 *
 * @throws KassaError `device.not_supported`, `device.no_user_gesture` or
 * `device.permission_denied` (the browser's exception as `cause`), as {@link requestHidScanner}.
 */
export async function requestSerialPort(
  options: { all?: boolean } = {},
  serial: Serial | undefined = nav()?.serial,
): Promise<SerialPort | undefined> {
  if (!serial) throw new KassaError('device.not_supported', 'Web Serial is not available in this browser');
  try {
    return await serial.requestPort(options.all ? {} : { filters: SERIAL_FILTERS });
  } catch (e) {
    if ((e as { name?: string }).name === 'NotFoundError') return undefined;
    throw permissionError(e, 'Web Serial');
  }
}

/** Devices the user granted earlier, per class, without a prompt (for start-up and reloads). */
export async function grantedDevices(
  kind: DeviceClass,
  platform: { hid?: HID; usb?: USB; serial?: Serial } = {
    ...(nav()?.hid ? { hid: nav()!.hid } : {}),
    ...(nav()?.usb ? { usb: nav()!.usb } : {}),
    ...(nav()?.serial ? { serial: nav()!.serial } : {}),
  },
): Promise<Array<HIDDevice | USBDevice | SerialPort>> {
  if (kind === 'scanner') {
    const all = (await platform.hid?.getDevices()) ?? [];
    return all.filter(
      (d) =>
        d.collections.some((c) => c.usagePage === 0x8c) ||
        HID_SCANNER_FILTERS.some((f) => f.vendorId !== undefined && f.vendorId === d.vendorId),
    );
  }
  if (kind === 'printer') return (await platform.usb?.getDevices()) ?? [];
  return (await platform.serial?.getPorts()) ?? [];
}
