// Device-side simulators: they take what the host sent and answer like the real thing.
// Shared by the Node tests (memory, pty, TCP) and the browser tests (bundled into the page).

/** A virtual ESC/POS printer: records printed bytes, answers DLE EOT 1-4, sends ASB when enabled. */
export class VirtualPrinter {
  printed: number[] = [];
  online = true;
  coverOpen = false;
  paperNearEnd = false;
  paperOut = false;
  drawerHigh = false;
  asb = false;
  private pending: number[] = [];

  constructor(private readonly reply: (bytes: Uint8Array) => void) {}

  /** Feed bytes the host wrote. */
  receive(bytes: ArrayLike<number>): void {
    for (let i = 0; i < bytes.length; i++) this.pending.push(bytes[i]!);
    this.process();
  }

  private process(): void {
    for (;;) {
      const p = this.pending;
      if (p.length === 0) return;
      if (p[0] === 0x10 && p[1] === undefined) return;
      if (p[0] === 0x10 && p[1] === 0x04) {
        if (p[2] === undefined) return;
        this.pending = p.slice(3);
        this.reply(new Uint8Array([this.statusByte(p[2])]));
        continue;
      }
      if (p[0] === 0x1d && (p[1] === undefined || p[1] === 0x61)) {
        if (p[2] === undefined) return;
        this.pending = p.slice(3);
        this.asb = p[2] !== 0;
        if (this.asb) this.sendAsb();
        continue;
      }
      this.printed.push(p.shift()!);
    }
  }

  statusByte(n: number): number {
    let b = 0x12;
    if (n === 1) {
      if (this.drawerHigh) b |= 0x04;
      if (!this.online) b |= 0x08;
    } else if (n === 2) {
      if (this.coverOpen) b |= 0x04;
      if (this.paperOut) b |= 0x20;
    } else if (n === 4) {
      if (this.paperNearEnd) b |= 0x0c;
      if (this.paperOut) b |= 0x60;
    }
    return b;
  }

  asbBlock(): Uint8Array {
    let b1 = 0x10;
    if (this.drawerHigh) b1 |= 0x04;
    if (!this.online) b1 |= 0x08;
    if (this.coverOpen) b1 |= 0x20;
    let b3 = 0;
    if (this.paperNearEnd) b3 |= 0x03;
    if (this.paperOut) b3 |= 0x0c;
    return new Uint8Array([b1, 0, b3, 0]);
  }

  /** Sends an ASB block now (as a printer does when its state changes). */
  sendAsb(): void {
    if (this.asb) this.reply(this.asbBlock());
  }

  printedText(): string {
    return String.fromCharCode(...this.printed);
  }
}

/** A virtual Toledo 8217 scale: answers W, Z and T. */
export class VirtualToledoScale {
  grams = 0;
  motion = false;
  private tare = 0;

  constructor(private readonly reply: (bytes: Uint8Array) => void) {}

  receive(bytes: ArrayLike<number>): void {
    for (let i = 0; i < bytes.length; i++) {
      const c = String.fromCharCode(bytes[i]! & 0x7f);
      if (c === 'W') this.answerWeight();
      else if (c === 'Z') {
        if (!this.motion) this.tare = this.grams;
        this.sendStatus();
      } else if (c === 'T') {
        if (!this.motion) this.tare = this.grams;
        this.sendStatus(0x20);
      }
    }
  }

  private answerWeight(): void {
    if (this.motion) {
      this.sendStatus(0x01);
      return;
    }
    const net = this.grams - this.tare;
    const kg = `${String(Math.floor(net / 1000)).padStart(2, '0')}.${String(net % 1000).padStart(3, '0')}`;
    this.reply(new Uint8Array([0x02, ...[...kg].map((ch) => ch.charCodeAt(0)), 0x0d]));
  }

  private sendStatus(bits = 0): void {
    const centre = this.grams - this.tare === 0 ? 0x10 : 0;
    this.reply(new Uint8Array([0x02, 0x3f, 0x40 | bits | centre, 0x0d]));
  }
}

/** Builds a HID POS Scanned Data Report (report id first), 64 bytes, data split over reports as needed. */
export function hidPosReports(data: string, aim = ']E0', reportSize = 64): Uint8Array[] {
  const room = reportSize - 1 - 4 - 1; // report id, length + AIM, continuation flag
  const out: Uint8Array[] = [];
  for (let i = 0; i < data.length || i === 0; i += room) {
    const part = data.slice(i, i + room);
    const r = new Uint8Array(reportSize);
    r[0] = 2;
    r[1] = part.length;
    r[2] = aim.charCodeAt(0) || 0;
    r[3] = aim.charCodeAt(1) || 0;
    r[4] = aim.charCodeAt(2) || 0;
    for (let j = 0; j < part.length; j++) r[5 + j] = part.charCodeAt(j);
    r[reportSize - 1] = i + room < data.length ? 1 : 0;
    out.push(r);
    if (data.length === 0) break;
  }
  return out;
}
