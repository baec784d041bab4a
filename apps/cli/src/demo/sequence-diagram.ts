/**
 * The demo's sessions as a Mermaid `sequenceDiagram`: one arrow per request and per answer of
 * the test ACS's transcript, a box per CWMP session, and the tour's steps as notes where they
 * happened. Also the HTML page that renders it in a browser (Mermaid from a CDN: the page is
 * for a browser, the demo itself needs no network). Offline the script fails to load and the
 * page still shows the Mermaid source and the transcript as text; bundling Mermaid would add
 * some twenty packages (d3, cytoscape, katex...), and the small DOM-free renderers drop notes,
 * which carry the tour's steps.
 * @module
 */
import type { TranscriptEntry } from "@cpekit/acs-testkit";
import { summarizeExchange } from "./exchange-summary.js";

/** A tour step shown as a note after the exchange numbered `afterSeq` (0: before any). */
export interface DiagramNote {
  readonly afterSeq: number;
  readonly text: string;
}

/**
 * Text safe inside a Mermaid message or note: `;` and `#` would end or escape the statement,
 * so they become Mermaid entity codes, and the text stays on one line.
 */
export const mermaidText = (text: string): string =>
  text
    .replace(/[\r\n]+/g, " ")
    // One pass: replacing `#` first and `;` next would break the entity codes just written.
    .replace(/[#;]/g, (c) => (c === "#" ? "#35;" : "#59;"));

/** The Mermaid source of the sessions in `entries`, with `notes` between them. */
export const sequenceDiagram = (
  entries: readonly TranscriptEntry[],
  notes: readonly DiagramNote[],
  deviceLabel: string,
): string => {
  const lines = [
    "sequenceDiagram",
    `  participant CPE as ${mermaidText(deviceLabel)}`,
    "  participant ACS as ACS (cpekit testkit)",
    "  participant Files as File server",
  ];
  const notesAfter = (seq: number) =>
    notes
      .filter((n) => n.afterSeq === seq)
      .map((n) => `  Note over CPE,ACS: ${mermaidText(n.text)}`);
  lines.push(...notesAfter(0));
  let openSession: string | undefined;
  const closeSession = () => {
    if (openSession !== undefined) lines.push("  end");
    openSession = undefined;
  };
  entries.forEach((e, i) => {
    const s = summarizeExchange(e);
    if (s.sessionId !== openSession) {
      closeSession();
      if (s.sessionId !== undefined) {
        lines.push("  rect rgba(120, 160, 220, 0.12)");
        lines.push(`  Note right of CPE: session ${mermaidText(s.sessionId)}`);
        openSession = s.sessionId;
      }
    }
    const target = s.from === "CPE" ? s.server : "CPE";
    const source = s.from === "CPE" ? "CPE" : "ACS";
    lines.push(`  ${source}->>${target}: ${mermaidText(s.request)}`);
    lines.push(`  ${target}-->>${source}: ${mermaidText(s.response)}`);
    // A session's box closes after its last exchange, so the notes that follow sit outside.
    const next = entries[i + 1];
    if (next === undefined || summarizeExchange(next).sessionId !== openSession) closeSession();
    lines.push(...notesAfter(e.seq));
  });
  closeSession();
  // Notes recorded after the last exchange.
  const last = entries.at(-1)?.seq ?? 0;
  lines.push(
    ...notes
      .filter((n) => n.afterSeq > last)
      .map((n) => `  Note over CPE,ACS: ${mermaidText(n.text)}`),
  );
  return `${lines.join("\n")}\n`;
};

const escapeHtml = (text: string): string =>
  text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** An HTML page rendering `mermaidSource`, with the text transcript below it. */
export const diagramPage = (title: string, mermaidSource: string, transcript: string): string =>
  `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escapeHtml(title)}</title>
<style>
  body { font-family: system-ui, sans-serif; margin: 2rem; }
  pre.transcript { background: #f6f8fa; padding: 1rem; overflow-x: auto; font-size: 0.85rem; }
</style>
</head>
<body>
<h1>${escapeHtml(title)}</h1>
<pre class="mermaid">
${escapeHtml(mermaidSource)}</pre>
<h2>Transcript</h2>
<pre class="transcript">${escapeHtml(transcript)}</pre>
<script type="module">
  import mermaid from "https://cdn.jsdelivr.net/npm/mermaid@11/dist/mermaid.esm.min.mjs";
  mermaid.initialize({ startOnLoad: true, sequence: { showSequenceNumbers: true } });
</script>
</body>
</html>
`;
