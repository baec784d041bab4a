/**
 * What a quirk profile needs to see of the raw XML that the typed codec deliberately normalises
 * away: the exact cwmp namespace URI the CPE wrote, and the header entries by their exact local
 * names (GenieACS keys its version detection on a lower-case `sessionTimeout`). A light scan,
 * not a parser: the envelope itself is decoded by `@cpekit/core`.
 * @module
 */

/** The raw facts of one CPE envelope. */
export interface EnvelopeSniff {
  /** The `urn:dslforum-org:cwmp-*` URI declared in the envelope, if any. */
  readonly cwmpNamespace: string | undefined;
  /** SOAP header entries by exact local name (case kept), with their text. */
  readonly headerEntries: Readonly<Record<string, string>>;
}

const namespaceRe = /xmlns(?::[A-Za-z_][\w.-]*)?\s*=\s*["'](urn:dslforum-org:cwmp-[^"']*)["']/;
const headerRe =
  /<(?:[A-Za-z_][\w.-]*:)?Header\b[^>]*>([\s\S]*?)<\/(?:[A-Za-z_][\w.-]*:)?Header\s*>/;
const entryRe = /<(?:[A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*)\b[^>]*?(?:\/>|>([^<]*)<\/)/g;

/** Scans a CPE envelope for its cwmp namespace and header entries. */
export const sniffEnvelope = (xml: string): EnvelopeSniff => {
  const headerEntries: Record<string, string> = {};
  const header = headerRe.exec(xml)?.[1];
  if (header !== undefined)
    for (let m = entryRe.exec(header); m !== null; m = entryRe.exec(header))
      if (m[1] !== undefined) headerEntries[m[1]] = (m[2] ?? "").trim();
  return { cwmpNamespace: namespaceRe.exec(xml)?.[1], headerEntries };
};
