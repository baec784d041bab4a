/**
 * `decodeEnvelope`: one SOAP envelope (text or UTF-8 bytes) to a typed {@link Envelope}, with
 * tolerant reading and structured warnings. Synchronous (usable on a hot path) and total: every
 * failure, whatever the input, is a {@link DecodeError} in the `Left` of the result.
 * @module
 */
import { COMMON_HTML, CURRENCY, ENTITY_ACTION, EntityDecoder } from "@nodable/entities";
import { Either } from "effect";
import { type X2jOptions, XMLParser } from "fast-xml-parser";
import { DecodeError } from "./decode-error.js";
import { decodeHeader } from "./header.js";
import { checkSize, decodeUtf8, endsWithRootEndTag } from "./input-guard.js";
import { attributeToRequest, isCpeMethodRequest } from "./invalid-request.js";
import type { CwmpMessage, CwmpVersion, Envelope } from "./messages.js";
import {
  CWMP_NS_PREFIX,
  isNonStandardCwmpNamespace,
  SOAP_ENV_NS,
  versionOfCwmpNamespace,
} from "./namespaces.js";
import { codecFor } from "./rpc/registry.js";
import { decodeVendorMessage, emptyScope, extendScope, type NamespaceScope } from "./rpc/vendor.js";
import { detectVersion } from "./version-detection.js";
import { checkWellFormed } from "./well-formedness.js";
import {
  attributesOf,
  childElements,
  type DecodeContext,
  fail,
  findChild,
  type Located,
  localName,
  nodeName,
  pathOf,
  prefixOf,
  type XNode,
} from "./xml-reader.js";

/** Limits applied to untrusted input (a value below 1, or NaN, means the default). */
export interface DecodeOptions {
  /** Largest accepted envelope in UTF-8 bytes; default 4 MiB. */
  readonly maxBytes?: number;
  /** Deepest accepted element nesting; default 64 (a CWMP envelope needs about 8). */
  readonly maxDepth?: number;
}

/** A decoded envelope and the tolerances applied while reading it. */
export interface DecodeResult {
  readonly envelope: Envelope;
  /** One line per tolerated deviation (`<path>: <what was assumed>`), for logs. */
  readonly warnings: readonly string[];
}

/** Default `maxBytes`: 4 MiB. */
export const DEFAULT_MAX_BYTES = 4 * 1024 * 1024;
/** Default `maxDepth`. */
export const DEFAULT_MAX_DEPTH = 64;

// The entity decoder fast-xml-parser would build for `htmlEntities: true` and
// `processEntities: true` (XML's predefined names, HTML's common and currency names, numeric
// references, the same expansion limits), built once: the parser otherwise builds and validates
// this table again for every document, which cost more than parsing a small envelope. Sharing it
// is safe: the parser resets its per-document counters at the start of each synchronous `parse`.
// Document entities are blocked, though never reached: DOCTYPEs are refused before parsing.
const entityDecoder = new EntityDecoder({
  namedEntities: { ...COMMON_HTML, ...CURRENCY },
  numericAllowed: true,
  limit: {
    maxTotalExpansions: Number.POSITIVE_INFINITY,
    maxExpandedLength: 100_000,
    applyLimitsTo: "all",
  },
  onInputEntity: () => ENTITY_ACTION.BLOCK,
});

/**
 * The fast-xml-parser options the codec parses with (exported for the benchmark's bare parse):
 * ordered output (document order is kept for vendor elements), attributes kept under their
 * qualified names, no value coercion, no trimming (values keep their spaces), entities decoded
 * (DOCTYPEs are refused before parsing, so only predefined, HTML named and numeric references
 * remain, all resolved by the shared `entityDecoder`).
 */
export const parserOptions = (maxDepth: number): X2jOptions => ({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: "",
  removeNSPrefix: false,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  processEntities: true,
  entityDecoder,
  ignoreDeclaration: true,
  ignorePiTags: true,
  maxNestedTags: maxDepth,
  // No callbacks take the path, so the parser need not spell it out as a string for each
  // element and attribute (its default, `true`, allocated about 5 KB per session; issue 11).
  jPath: false,
});

// Stateless between calls (the parser builds fresh per-document state in each `parse`), so one
// shared instance for the default limits is safe for any number of concurrent devices.
const defaultParser = new XMLParser(parserOptions(DEFAULT_MAX_DEPTH));

const ROOT = "Envelope";

const parse = (xml: string, maxDepth: number): XNode[] | DecodeError => {
  try {
    const parser =
      maxDepth === DEFAULT_MAX_DEPTH ? defaultParser : new XMLParser(parserOptions(maxDepth));
    const out: unknown = parser.parse(xml);
    return Array.isArray(out) ? (out as XNode[]) : [];
  } catch (cause) {
    const detail = cause instanceof Error ? cause.message : String(cause);
    return new DecodeError({
      reason: detail.includes("Maximum nested tags") ? "TooDeep" : "Malformed",
      element: ROOT,
      detail,
      cause,
    });
  }
};

const rootOf = (doc: readonly XNode[]): Located => {
  let root: Located | undefined;
  for (const n of doc) {
    const q = nodeName(n);
    if (q === "#text") continue;
    if (root !== undefined) fail("Malformed", ROOT, "more than one root element");
    root = { node: n, qname: q, parent: undefined };
  }
  return root ?? fail("Malformed", ROOT, "no root element");
};

// The CWMP namespace of the envelope: the message's own, else the first CWMP declaration in scope.
const cwmpNamespaceIn = (
  messageUri: string | undefined,
  scope: NamespaceScope,
): string | undefined => {
  if (messageUri?.startsWith(CWMP_NS_PREFIX)) return messageUri;
  for (const k in scope) {
    const uri = scope[k] as string;
    if (uri.startsWith(CWMP_NS_PREFIX)) return uri;
  }
  return undefined;
};

const decodeDocument = (xml: string, maxDepth: number, cx: DecodeContext): Envelope => {
  // The parser builds a tree from text that is not XML; such text is no CWMP message (issue 9).
  // The same scan refuses DOCTYPEs, so entity declarations never reach the parser.
  const notXml = checkWellFormed(xml);
  if (notXml !== undefined) throw notXml;
  const doc = parse(xml, maxDepth);
  if (doc instanceof DecodeError) throw doc;
  return envelopeOf(doc, xml, cx);
};

/**
 * The mapping step alone: the parser's ordered tree of `xml` to an envelope. Throws
 * `DecodeError`; exported for the benchmark, which times it apart from the parse.
 */
export const envelopeOf = (doc: readonly XNode[], xml: string, cx: DecodeContext): Envelope => {
  const root = rootOf(doc);
  if (localName(root.qname) !== ROOT)
    fail("NotSoap", root.qname, "the root element is not a SOAP Envelope");
  if (!endsWithRootEndTag(xml, root.qname))
    fail("Malformed", ROOT, "truncated: no end tag of the Envelope");
  const rootScope = extendScope(emptyScope(), attributesOf(root.node));
  const envUri = rootScope[prefixOf(root.qname)];
  if (envUri === undefined) cx.warnings.push(`${ROOT}: no namespace declared, read as SOAP 1.1`);
  else if (envUri !== SOAP_ENV_NS)
    fail("UnknownNamespace", ROOT, `not a SOAP 1.1 envelope: ${envUri}`);

  const headerEl = findChild(root, "Header");
  const body =
    findChild(root, "Body") ?? fail("MissingElement", `${ROOT}/Body`, "missing element Body");
  const header = decodeHeader(headerEl, cx);
  const bodyScope = extendScope(rootScope, attributesOf(body.node));
  const messages = childElements(body);
  const msgEl = messages[0] ?? fail("EmptyBody", pathOf(body), "the Body carries no message");
  if (messages.length > 1)
    cx.warnings.push(`${pathOf(body)}: more than one message, only the first read`);
  const msgScope = extendScope(bodyScope, attributesOf(msgEl.node));
  const name = localName(msgEl.qname);
  const msgUri = msgScope[prefixOf(msgEl.qname)];

  const cwmpUri = cwmpNamespaceIn(msgUri, msgScope);
  let nsVersion: CwmpVersion = "1.2";
  if (cwmpUri === undefined) cx.warnings.push(`${ROOT}: no CWMP namespace, read as CWMP 1.2`);
  else {
    const v = versionOfCwmpNamespace(cwmpUri);
    if (v === undefined)
      fail("UnknownNamespace", pathOf(msgEl), `unknown CWMP namespace ${cwmpUri}`);
    else nsVersion = v;
    if (isNonStandardCwmpNamespace(cwmpUri))
      cx.warnings.push(`${ROOT}: non-standard namespace ${cwmpUri} (V2)`);
  }

  const isSoapFault = name === "Fault" && (msgUri === SOAP_ENV_NS || msgUri === envUri);
  const codec = isSoapFault ? codecFor("Fault") : name === "Fault" ? undefined : codecFor(name);
  let message: CwmpMessage;
  if (codec === undefined) message = decodeVendorMessage(msgEl.node, msgEl.qname, bodyScope);
  else {
    if (!isSoapFault && msgUri !== undefined && !msgUri.startsWith(CWMP_NS_PREFIX))
      fail("UnknownNamespace", pathOf(msgEl), `CWMP message ${name} in namespace ${msgUri}`);
    if (!isSoapFault && msgUri === undefined)
      cx.warnings.push(`${pathOf(msgEl)}: no namespace, read as CWMP`);
    message = isCpeMethodRequest(name)
      ? decodeRequest(codec, msgEl, cx, name, header)
      : codec.decode(msgEl, cx);
  }
  return { header, body: message, version: detectVersion(nsVersion, header) };
};

// A request the CPE knows is attributable once its envelope and header are read: a failure in
// its arguments carries the method and header, so the session answers fault 9003 (issue 9).
const decodeRequest = (
  codec: NonNullable<ReturnType<typeof codecFor>>,
  msgEl: Located,
  cx: DecodeContext,
  name: string,
  header: Envelope["header"],
): CwmpMessage => {
  try {
    return codec.decode(msgEl, cx);
  } catch (cause) {
    if (cause instanceof DecodeError) throw attributeToRequest(cause, name, header);
    throw cause;
  }
};

// A limit that is not a positive number (NaN, negative, absent) falls back to the default, so a
// bad option can never switch a limit off.
const limit = (value: number | undefined, fallback: number): number =>
  value !== undefined && value >= 1 ? Math.floor(value) : fallback;

/**
 * Decodes one CWMP SOAP envelope. Input is refused before parsing when larger than `maxBytes`,
 * when not UTF-8 (bytes), or when it holds a DOCTYPE/ENTITY declaration; nesting deeper than
 * `maxDepth` is refused while parsing. Never throws.
 */
export const decodeEnvelope = (
  xml: string | Uint8Array,
  options?: DecodeOptions,
): Either.Either<DecodeResult, DecodeError> => {
  const maxBytes = limit(options?.maxBytes, DEFAULT_MAX_BYTES);
  const maxDepth = limit(options?.maxDepth, DEFAULT_MAX_DEPTH);
  const cx: DecodeContext = { warnings: [] };
  try {
    if (typeof xml !== "string" && !(xml instanceof Uint8Array))
      return Either.left(
        new DecodeError({ reason: "Malformed", element: ROOT, detail: "not a string or bytes" }),
      );
    const big = checkSize(xml, maxBytes);
    if (big !== undefined) return Either.left(big);
    let text: string;
    if (typeof xml === "string") text = xml.charCodeAt(0) === 0xfeff ? xml.slice(1) : xml;
    else {
      const t = decodeUtf8(xml);
      if (t instanceof DecodeError) return Either.left(t);
      text = t;
    }
    const envelope = decodeDocument(text, maxDepth, cx);
    return Either.right({ envelope, warnings: cx.warnings });
  } catch (cause) {
    if (cause instanceof DecodeError) return Either.left(cause);
    // A defect in a decoder on strange input: still a typed failure, never a throw.
    return Either.left(
      new DecodeError({ reason: "Malformed", element: ROOT, detail: String(cause), cause }),
    );
  }
};
