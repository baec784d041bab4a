/**
 * The demo's readable transcript: a line per tour step, the exchanges the test ACS recorded
 * since the previous line (one line each), and the device's own reports. Everything printed is
 * kept for `transcript.txt`, and the steps become notes of the sequence diagram.
 * @module
 */
import type { Transcript } from "@cpekit/acs-testkit";
import { exchangeLine } from "./exchange-summary.js";
import type { DiagramNote } from "./sequence-diagram.js";

/** The demo's printer (one per demo run). */
export interface DemoLog {
  /** Prints the exchanges not yet printed, then `== text`, and notes the step for the diagram. */
  readonly step: (text: string) => void;
  /** Prints the exchanges not yet printed, then an indented detail line. */
  readonly detail: (text: string) => void;
  /** Prints the exchanges not yet printed. */
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
  let shown = 0;
  const print = (line: string) => {
    printed.push(line);
    out(line);
  };
  const flush = () => {
    const entries = transcript.entries();
    for (const e of entries.slice(shown)) print(exchangeLine(e));
    shown = entries.length;
  };
  return {
    step: (text) => {
      flush();
      notes.push({ afterSeq: shown, text });
      print(`== ${text}`);
    },
    detail: (text) => {
      flush();
      print(`   ${text}`);
    },
    flush,
    notes: () => [...notes],
    lines: () => [...printed],
  };
};
