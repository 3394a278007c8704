import { type Observable, Subject, type Subscription } from 'rxjs';
import type { Scan, Scanner } from './types.js';

/** Several scanners as one stream of scans (a hand scanner and a presentation scanner at one till). */
export interface ScannerHub {
  /** Every scan of every scanner added, each tagged with its `source`. */
  readonly scans$: Observable<Scan>;
  add(scanner: Scanner): void;
  remove(scanner: Scanner): void;
  scanners(): readonly Scanner[];
  dispose(): void;
}

/** Creates a {@link ScannerHub}, optionally with scanners to start with. */
export function createScannerHub(initial: readonly Scanner[] = []): ScannerHub {
  const scans$ = new Subject<Scan>();
  const subs = new Map<Scanner, Subscription>();
  const hub: ScannerHub = {
    scans$: scans$.asObservable(),
    add(scanner) {
      if (subs.has(scanner)) return;
      subs.set(
        scanner,
        scanner.scans$.subscribe((s) => scans$.next(s)),
      );
    },
    remove(scanner) {
      subs.get(scanner)?.unsubscribe();
      subs.delete(scanner);
    },
    scanners: () => [...subs.keys()],
    dispose() {
      for (const s of subs.values()) s.unsubscribe();
      subs.clear();
    },
  };
  for (const s of initial) hub.add(s);
  return hub;
}
