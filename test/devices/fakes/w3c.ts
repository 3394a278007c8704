// Fakes of the W3C device APIs (WebHID, Web Serial, WebUSB) that behave like Chromium's:
// EventTarget-based, streams for serial, promise-returning transfers, connect and
// disconnect events, and a NEW device object after an unplug/replug (as browsers do).
// They run in Node and, bundled, in Chromium.

class Evt extends Event {
  constructor(type: string, init: Record<string, unknown>) {
    super(type);
    Object.assign(this, init);
  }
}

// ---------- WebHID ----------

export class FakeHIDDevice extends EventTarget {
  opened = false;
  readonly sentReports: Array<{ reportId: number; data: number[] }> = [];
  readonly featureReports = new Map<number, number[]>();
  oninputreport: ((e: Event) => void) | null = null;

  constructor(
    readonly vendorId: number,
    readonly productId: number,
    readonly productName: string,
    readonly collections: Array<{ usagePage: number; usage: number }> = [{ usagePage: 0x8c, usage: 0x02 }],
    public gone = false,
  ) {
    super();
  }

  async open(): Promise<void> {
    if (this.gone) throw new DOMException('Failed to open the device.', 'NotAllowedError');
    this.opened = true;
  }
  async close(): Promise<void> {
    this.opened = false;
  }
  async forget(): Promise<void> {}
  async sendReport(reportId: number, data: BufferSource): Promise<void> {
    if (!this.opened || this.gone) throw new DOMException('Failed to write the report.', 'NotAllowedError');
    this.sentReports.push({ reportId, data: Array.from(toBytes(data)) });
  }
  async sendFeatureReport(reportId: number, data: BufferSource): Promise<void> {
    if (!this.opened || this.gone)
      throw new DOMException('Failed to write the feature report.', 'NotAllowedError');
    this.featureReports.set(reportId, Array.from(toBytes(data)));
  }
  async receiveFeatureReport(reportId: number): Promise<DataView> {
    const d = this.featureReports.get(reportId) ?? [];
    return new DataView(new Uint8Array([reportId, ...d]).buffer);
  }
  /** The device sends an input report; `bytes` starts with the report id. */
  emitReport(bytes: Uint8Array): void {
    if (!this.opened || this.gone) return;
    const body = bytes.slice(1);
    this.dispatchEvent(
      new Evt('inputreport', { device: this, reportId: bytes[0], data: new DataView(body.buffer) }),
    );
  }
}

function toBytes(data: BufferSource): Uint8Array {
  if (data instanceof Uint8Array) return data;
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  return new Uint8Array(data as ArrayBuffer);
}

export class FakeHID extends EventTarget {
  devices: FakeHIDDevice[] = [];
  onconnect = null;
  ondisconnect = null;
  async getDevices(): Promise<FakeHIDDevice[]> {
    return this.devices.filter((d) => !d.gone);
  }
  async requestDevice(): Promise<FakeHIDDevice[]> {
    return new Promise(() => undefined); // like headless Chromium: the chooser never answers
  }
  plug(device: FakeHIDDevice): void {
    this.devices.push(device);
    this.dispatchEvent(new Evt('connect', { device }));
  }
  /** Unplugs; a replug must be a new FakeHIDDevice, like a browser hands out. */
  unplug(device: FakeHIDDevice): void {
    device.gone = true;
    device.opened = false;
    this.devices = this.devices.filter((d) => d !== device);
    this.dispatchEvent(new Evt('disconnect', { device }));
  }
}

// ---------- Web Serial ----------

export class FakeSerialPort extends EventTarget {
  readable: ReadableStream<Uint8Array> | null = null;
  writable: WritableStream<Uint8Array> | null = null;
  gone = false;
  openedWith: SerialOptions | undefined;
  /** What the host wrote, chunk by chunk. */
  readonly written: Uint8Array[] = [];
  /** The device end: called with each chunk the host wrote. */
  onHostWrite: ((chunk: Uint8Array) => void) | undefined;
  /** Delay each write by awaiting this (for backpressure tests). */
  writeGate: (() => Promise<void>) | undefined;
  private controller: ReadableStreamDefaultController<Uint8Array> | undefined;
  onconnect = null;
  ondisconnect = null;

  constructor(private readonly info: { usbVendorId?: number; usbProductId?: number } = {}) {
    super();
  }
  getInfo(): { usbVendorId?: number; usbProductId?: number } {
    return { ...this.info };
  }
  async open(options: SerialOptions): Promise<void> {
    if (this.gone) throw new DOMException('Failed to open serial port.', 'NetworkError');
    if (this.readable) throw new DOMException('The port is already open.', 'InvalidStateError');
    if (!options || typeof options.baudRate !== 'number') throw new TypeError('baudRate is required');
    this.openedWith = options;
    this.readable = new ReadableStream<Uint8Array>({
      start: (c) => {
        this.controller = c;
      },
    });
    this.writable = new WritableStream<Uint8Array>(
      {
        write: async (chunk) => {
          if (this.gone) throw new DOMException('The device has been lost.', 'NetworkError');
          if (this.writeGate) await this.writeGate();
          if (this.gone) throw new DOMException('The device has been lost.', 'NetworkError');
          const copy = chunk.slice();
          this.written.push(copy);
          this.onHostWrite?.(copy);
        },
      },
      new CountQueuingStrategy({ highWaterMark: 1 }),
    );
  }
  async close(): Promise<void> {
    if (!this.readable) throw new DOMException('The port is already closed.', 'InvalidStateError');
    this.readable = null;
    this.writable = null;
    this.controller = undefined;
  }
  async forget(): Promise<void> {}
  /** The device sends bytes to the host. */
  emit(bytes: Uint8Array | string): void {
    const b = typeof bytes === 'string' ? new TextEncoder().encode(bytes) : bytes;
    this.controller?.enqueue(b);
  }
  lose(): void {
    this.gone = true;
    try {
      this.controller?.error(new DOMException('The device has been lost.', 'NetworkError'));
    } catch {
      // already closed
    }
  }
}

export class FakeSerial extends EventTarget {
  ports: FakeSerialPort[] = [];
  onconnect = null;
  ondisconnect = null;
  async getPorts(): Promise<FakeSerialPort[]> {
    return this.ports.filter((p) => !p.gone);
  }
  async requestPort(): Promise<FakeSerialPort> {
    return new Promise(() => undefined);
  }
  plug(port: FakeSerialPort): void {
    this.ports.push(port);
    // Chromium fires connect at the port and it bubbles to navigator.serial
    const e = new Evt('connect', {});
    port.dispatchEvent(e);
    this.dispatchEvent(new Evt('connect', { port }));
  }
  unplug(port: FakeSerialPort): void {
    port.lose();
    this.ports = this.ports.filter((p) => p !== port);
    port.dispatchEvent(new Evt('disconnect', {}));
    this.dispatchEvent(new Evt('disconnect', { port }));
  }
}

// ---------- WebUSB ----------

interface Endpoint {
  endpointNumber: number;
  direction: 'in' | 'out';
  type: 'bulk' | 'interrupt' | 'isochronous';
  packetSize: number;
}

export class FakeUSBDevice {
  opened = false;
  gone = false;
  configuration: { configurationValue: number; interfaces: unknown[] } | null = null;
  readonly transfersOut: Uint8Array[] = [];
  onHostWrite: ((chunk: Uint8Array) => void) | undefined;
  private inQueue: Uint8Array[] = [];
  private inWaiters: Array<(r: { status: 'ok'; data: DataView }) => void> = [];
  private inFail: Array<(e: unknown) => void> = [];
  private claimed = new Set<number>();
  readonly usbVersionMajor = 2;
  readonly deviceClass = 0;

  constructor(
    readonly vendorId: number,
    readonly productId: number,
    readonly productName: string,
    readonly serialNumber: string,
  ) {}

  private config() {
    const endpoints: Endpoint[] = [
      { endpointNumber: 1, direction: 'out', type: 'bulk', packetSize: 64 },
      { endpointNumber: 2, direction: 'in', type: 'bulk', packetSize: 64 },
    ];
    const alternate = {
      alternateSetting: 0,
      interfaceClass: 7,
      interfaceSubclass: 1,
      interfaceProtocol: 2,
      endpoints,
    };
    const self = this;
    return {
      configurationValue: 1,
      interfaces: [
        {
          interfaceNumber: 0,
          alternate,
          alternates: [alternate],
          get claimed() {
            return self.claimed.has(0);
          },
        },
      ],
    };
  }
  async open(): Promise<void> {
    if (this.gone) throw new DOMException('Failed to open the device.', 'NotFoundError');
    this.opened = true;
  }
  async close(): Promise<void> {
    this.opened = false;
    this.claimed.clear();
    this.configuration = null;
    for (const f of this.inFail.splice(0)) f(new DOMException('The device was closed.', 'AbortError'));
    this.inWaiters = [];
  }
  async selectConfiguration(v: number): Promise<void> {
    if (!this.opened) throw new DOMException('The device must be opened first.', 'InvalidStateError');
    if (v !== 1) throw new DOMException('unknown configuration', 'NotFoundError');
    this.configuration = this.config();
  }
  async claimInterface(n: number): Promise<void> {
    if (!this.configuration) throw new DOMException('no configuration', 'InvalidStateError');
    if (n !== 0) throw new DOMException('unknown interface', 'NotFoundError');
    this.claimed.add(n);
  }
  async releaseInterface(n: number): Promise<void> {
    this.claimed.delete(n);
  }
  async clearHalt(): Promise<void> {}
  async transferOut(ep: number, data: BufferSource): Promise<{ status: 'ok'; bytesWritten: number }> {
    if (this.gone) throw new DOMException('The device was disconnected.', 'NotFoundError');
    if (!this.claimed.has(0) || ep !== 1) throw new DOMException('endpoint not claimed', 'InvalidStateError');
    const b = toBytes(data).slice();
    this.transfersOut.push(b);
    this.onHostWrite?.(b);
    return { status: 'ok', bytesWritten: b.length };
  }
  transferIn(ep: number, _length: number): Promise<{ status: 'ok'; data: DataView }> {
    if (this.gone) return Promise.reject(new DOMException('The device was disconnected.', 'NotFoundError'));
    if (!this.claimed.has(0) || ep !== 2)
      return Promise.reject(new DOMException('endpoint not claimed', 'InvalidStateError'));
    const next = this.inQueue.shift();
    if (next) return Promise.resolve({ status: 'ok', data: new DataView(next.buffer) });
    return new Promise((resolve, reject) => {
      this.inWaiters.push(resolve);
      this.inFail.push(reject);
    });
  }
  /** The device puts bytes on its IN endpoint. */
  emit(bytes: Uint8Array): void {
    const w = this.inWaiters.shift();
    this.inFail.shift();
    if (w) w({ status: 'ok', data: new DataView(bytes.slice().buffer) });
    else this.inQueue.push(bytes.slice());
  }
  lose(): void {
    this.gone = true;
    this.opened = false;
    for (const f of this.inFail.splice(0))
      f(new DOMException('The device was disconnected.', 'NotFoundError'));
    this.inWaiters = [];
  }
}

export class FakeUSB extends EventTarget {
  devices: FakeUSBDevice[] = [];
  onconnect = null;
  ondisconnect = null;
  async getDevices(): Promise<FakeUSBDevice[]> {
    return this.devices.filter((d) => !d.gone);
  }
  async requestDevice(): Promise<FakeUSBDevice> {
    return new Promise(() => undefined);
  }
  plug(device: FakeUSBDevice): void {
    this.devices.push(device);
    this.dispatchEvent(new Evt('connect', { device }));
  }
  unplug(device: FakeUSBDevice): void {
    device.lose();
    this.devices = this.devices.filter((d) => d !== device);
    this.dispatchEvent(new Evt('disconnect', { device }));
  }
}
