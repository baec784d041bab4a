/**
 * The demo's sessions as a Mermaid `sequenceDiagram`: one arrow per request and per answer of
 * the test ACS's transcript, a box per CWMP session, and the tour's steps as notes where they
 * happened. Also the HTML page that renders it in a browser, with Mermaid's minified bundle
 * (from the `mermaid` npm dependency) inlined, so the page draws with no network: the machines
 * and labs that run the demo are often offline. The page is one file (about 6 MB) that can be
 * mailed or attached as it is.
 * @module
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
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

/**
 * Mermaid's self-contained browser bundle (`mermaid/dist/mermaid.min.js`, which defines the
 * global `mermaid`), read from the `mermaid` package this CLI depends on.
 */
export const mermaidBundle = (): string =>
  readFileSync(createRequire(import.meta.url).resolve("mermaid/dist/mermaid.min.js"), "utf8");

/**
 * `script` made safe as the text of an inline `<script>` element: a `</script` inside would end
 * the element early, and `\/` means `/` wherever that sequence can occur in JavaScript (strings,
 * regular expressions, template literals, comments).
 */
export const inlineScriptText = (script: string): string =>
  script.replace(/<\/(script)/gi, "<\\/$1");

/**
 * An HTML page rendering `mermaidSource` with the inlined `mermaidScript` (default: the bundle
 * of {@link mermaidBundle}), with the text transcript below it. Once Mermaid has drawn, `<body>`
 * carries `data-diagram="drawn"` (or `"failed"`, with the error shown), for a browser test.
 */
export const diagramPage = (
  title: string,
  mermaidSource: string,
  transcript: string,
  mermaidScript: string = mermaidBundle(),
): string =>
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
<script>${inlineScriptText(mermaidScript)}</script>
<script>
  mermaid.initialize({ startOnLoad: false, sequence: { showSequenceNumbers: true } });
  mermaid.run({ querySelector: "pre.mermaid" }).then(
    () => { document.body.dataset.diagram = "drawn"; },
    (error) => {
      document.body.dataset.diagram = "failed";
      const p = document.createElement("p");
      p.textContent = "The diagram could not be drawn: " + error;
      document.body.insertBefore(p, document.querySelector("h2"));
    },
  );
</script>
</body>
</html>
`;
