// Injected before the kiosk page's own script: a W3C-shaped fake `navigator.hid` with one HID POS
// scanner already granted (headless Chromium has no USB devices and never answers the chooser).
import { hidPosReports } from '../devices/fakes/virtual-devices.js';
import { FakeHID, FakeHIDDevice } from '../devices/fakes/w3c.js';

const hid = new FakeHID();
const scanner = new FakeHIDDevice(0x0c2e, 0x0b8f, 'Voyager 1400g');
hid.plug(scanner);
Object.defineProperty(navigator, 'hid', { value: hid, configurable: true });
(window as unknown as { fakeScan: (data: string) => void }).fakeScan = (data: string) => {
  for (const report of hidPosReports(data, ']E0')) scanner.emitReport(report);
};
