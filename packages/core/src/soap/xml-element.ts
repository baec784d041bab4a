/**
 * A generic parsed XML element, handed to user-registered handlers of vendor RPCs
 * (`X_<VENDOR>_<Name>` body elements) that the typed message model does not know.
 *
 * The shape mirrors the `parseXml` output of Quectel's `xmlUtils.py` (`name`, `namespace`,
 * `localName`, `text`, `children`) so handlers ported from QuecPython map field for field;
 * `attributes` is a parsed record where Quectel kept the raw attribute string.
 * @module
 */

/** One XML element with its attributes, text and child elements, in document order. */
export interface XmlElement {
  /** Qualified name as written on the wire, e.g. `"cwmp:X_QUECTEL_Diag"` or `"Value"`. */
  readonly name: string;
  /**
   * The prefix as written (`"cwmp"` for `cwmp:X_QUECTEL_Diag`), as Quectel's parser reports it;
   * absent for an unprefixed name.
   */
  readonly namespace?: string;
  /** The resolved namespace URI, when a declaration in scope binds the prefix (or default). */
  readonly namespaceUri?: string;
  /** The name without its prefix, e.g. `"X_QUECTEL_Diag"`. */
  readonly localName: string;
  /** Attributes by qualified name as written (`"xsi:type"`), values entity-decoded. */
  readonly attributes: Readonly<Record<string, string>>;
  /** Concatenated character data (text and CDATA) directly inside this element. */
  readonly text: string;
  readonly children: readonly XmlElement[];
}
