import type { TranscriptEntry } from "@cpekit/acs-testkit";
import type { CwmpMessage } from "@cpekit/core";
import { fc, it as prop } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import {
  diagramPage,
  inlineScriptText,
  mermaidBundle,
  mermaidText,
  sequenceDiagram,
} from "./sequence-diagram.js";

const envelope = (body: CwmpMessage) => ({ header: {}, body, version: "1.4" as const });

let seq = 0;
const cwmp = (
  sessionId: string,
  request: CwmpMessage | undefined,
  response: CwmpMessage | 204,
): TranscriptEntry => ({
  seq: ++seq,
  kind: "cwmp",
  startedAt: "2026-01-01T00:00:00.000Z",
  durationMs: 1,
  connection: 1,
  method: "POST",
  url: "/acs",
  sessionId,
  request: request
    ? { headers: {}, body: "<x/>", message: request._tag, envelope: envelope(request) }
    : { headers: {}, body: "", message: "empty" },
  response:
    response === 204
      ? { headers: {}, body: "", status: 204, message: "empty" }
      : {
          headers: {},
          body: "<x/>",
          status: 200,
          message: response._tag,
          envelope: envelope(response),
        },
  injected: [],
  notes: [],
});

const crEntry = (): TranscriptEntry => ({
  seq: ++seq,
  kind: "connectionRequest",
  startedAt: "2026-01-01T00:00:00.000Z",
  durationMs: 1,
  connection: 0,
  method: "GET",
  url: "http://127.0.0.1:1234/cr",
  request: { headers: {}, body: "" },
  response: { headers: {}, body: "", status: 200 },
  injected: [],
  notes: ["challenged (401), answered"],
});

describe("sequence diagram", () => {
  prop.prop([fc.string({ maxLength: 200 })])(
    "mermaidText never leaves a raw ';', a line break, or a '#' that is not an entity code",
    (text) => {
      const safe = mermaidText(text);
      expect(safe).not.toMatch(/[\r\n]/);
      expect(safe.replace(/#\d+;/g, "")).not.toMatch(/[;#]/);
    },
  );

  it("boxes each CWMP session, draws the ACS's connection request the other way, and places the steps as notes", () => {
    seq = 0;
    const inform: CwmpMessage = {
      _tag: "Inform",
      deviceId: { manufacturer: "m", oui: "00CAFE", productClass: "p", serialNumber: "s" },
      event: [
        { eventCode: "0 BOOTSTRAP", commandKey: "" },
        { eventCode: "1 BOOT", commandKey: "" },
      ],
      maxEnvelopes: 1,
      currentTime: "2026-01-01T00:00:00Z",
      retryCount: 0,
      parameterList: [],
    };
    const entries = [
      cwmp("s1", inform, { _tag: "InformResponse", maxEnvelopes: 1 }),
      cwmp("s1", undefined, 204),
      crEntry(),
      cwmp(
        "s2",
        { ...inform, event: [{ eventCode: "6 CONNECTION REQUEST", commandKey: "" }] },
        204,
      ),
    ];
    const mmd = sequenceDiagram(
      entries,
      [
        { afterSeq: 0, text: "start; boot" },
        { afterSeq: 2, text: "connection request" },
      ],
      "CPE 00CAFE-p-s",
    );
    const lines = mmd.trimEnd().split("\n");
    expect(lines[0]).toBe("sequenceDiagram");
    expect(lines.filter((l) => l.includes("rect ")).length).toBe(2);
    expect(lines.filter((l) => l.trim() === "end").length).toBe(2);
    expect(mmd).toContain("CPE->>ACS: Inform [0 BOOTSTRAP, 1 BOOT]\n  ACS-->>CPE: InformResponse");
    expect(mmd).toContain("CPE->>ACS: empty POST\n  ACS-->>CPE: HTTP 204 (end of session)");
    expect(mmd).toContain("ACS->>CPE: connection request GET /cr (challenged (401), answered)");
    expect(mmd).toContain("Note over CPE,ACS: start#59; boot");
    // The note after exchange 2 comes after the first session's box is closed.
    const note = lines.findIndex((l) => l.includes("Note over CPE,ACS: connection request"));
    const firstEnd = lines.findIndex((l) => l.trim() === "end");
    expect(note).toBeGreaterThan(firstEnd);
    expect(note).toBeLessThan(lines.findIndex((l) => l.includes("ACS->>CPE")));
  });

  it("escapes the source into the HTML page, which runs the inlined Mermaid script", () => {
    const page = diagramPage(
      "t",
      "sequenceDiagram\n  A->>B: x < y & z\n",
      "line <1>",
      "var mermaid = 1; // end: </script> and </SCRIPT",
    );
    expect(page).toContain("A-&gt;&gt;B: x &lt; y &amp; z");
    expect(page).toContain("line &lt;1&gt;");
    expect(page).toContain("<script>var mermaid = 1; // end: <\\/script> and <\\/SCRIPT</script>");
    // Exactly the two script elements the page opens are closed: the inlined text closes none.
    expect(page.match(/<\/script/gi)).toHaveLength(2);
    expect(page).toMatch(/mermaid\.run\(\{ querySelector: "pre\.mermaid" \}\)/);
  });

  it("inlines Mermaid from the npm package, so the page loads nothing from the network", () => {
    const bundle = mermaidBundle();
    expect(bundle.length).toBeGreaterThan(1_000_000);
    expect(bundle).toContain('globalThis["mermaid"]');
    const page = diagramPage("t", "sequenceDiagram\n  A->>B: x\n", "");
    expect(page).not.toMatch(/<script[^>]*\ssrc=/i);
    expect(page).not.toMatch(/import\s*\(?\s*["']https?:/);
    expect(page).not.toContain("cdn.");
    expect(page.length).toBeGreaterThan(bundle.length);
  });

  prop.prop([fc.string({ maxLength: 80 })])(
    "inlineScriptText never leaves a '</script' that would end the element early",
    (text) => {
      expect(inlineScriptText(`${text}</script${text}`)).not.toMatch(/<\/script/i);
    },
  );
});
