/**
 * The demo's readable transcript: a line per tour step, the exchanges the test ACS recorded
 * (one line each), the tour's findings and the device's own reports. Everything printed is kept
 * for `transcript.txt`, and the steps become notes of the sequence diagram.
 *
 * The order of the lines is the order things happened on the wire, whatever the scheduling of
 * the tour and the device: the tour reads its answers some time after the ACS recorded them, and
 * by then the device may have gone on (downloaded a file, opened the next session). So each of
 * the tour's findings names the exchange it is about (`afterSeq`) and is printed right after it,
 * and each device report is held until the exchanges recorded before it have been printed.
 * @module
 */
import type { Transcript } from "@cpekit/acs-testkit";
import { exchangeLine } from "./exchange-summary.js";
import type { DiagramNote } from "./sequence-diagram.js";

/** The demo's printer (one per demo run). */
export interface DemoLog {
  /** Prints every exchange recorded so far, then `== text`, and notes the step for the diagram. */
  readonly step: (text: string) => void;
  /**
   * Prints an indented detail line. With `afterSeq`, it follows the exchange of that number
   * (exchanges recorded after it wait for a later line); without it, every exchange so far.
   */
  readonly detail: (text: string, afterSeq?: number) => void;
  /** A device report: printed (indented) once the exchanges recorded before it are printed. */
  readonly device: (text: string) => void;
  /** Prints every exchange recorded so far and the device reports that follow them. */
  readonly flush: () => void;
  /** The steps, placed after the exchange that preceded them. */
  readonly notes: () => readonly DiagramNote[];
  /** Every line printed so far. */
  readonly lines: () => readonly string[];
}

/** A log over the ACS `transcript`, printing with `out`. */
export const makeDemoLog = (transcript: Transcript, out: (line: string) => void): DemoLog => {
  const printed: string[] = [];
  const notes: DiagramNote[] = [];
  /** Device reports not printed yet, each after the exchange count it was made at. */
  const held: { readonly after: number; readonly text: string }[] = [];
  let shown = 0;
  const print = (line: string) => {
    printed.push(line);
    out(line);
  };
  const releaseHeld = () => {
    while (held.length > 0 && (held[0]?.after ?? 0) <= shown) {
      const next = held.shift();
      if (next !== undefined) print(`   ${next.text}`);
    }
  };
  /** Prints the exchanges up to number `upTo` (all recorded ones when absent). */
  const printUpTo = (upTo?: number) => {
    const entries = transcript.entries();
    const last = Math.min(upTo ?? entries.length, entries.length);
    releaseHeld();
    while (shown < last) {
      const entry = entries[shown];
      if (entry !== undefined) print(exchangeLine(entry));
      shown++;
      releaseHeld();
    }
  };
  return {
    step: (text) => {
      printUpTo();
      notes.push({ afterSeq: shown, text });
      print(`== ${text}`);
    },
    detail: (text, afterSeq) => {
      printUpTo(afterSeq);
      print(`   ${text}`);
    },
    device: (text) => {
      held.push({ after: transcript.entries().length, text });
    },
    flush: () => printUpTo(),
    notes: () => [...notes],
    lines: () => [...printed],
  };
};
