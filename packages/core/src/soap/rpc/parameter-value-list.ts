/**
 * `ParameterValueStruct` lists, shared by Inform, GetParameterValuesResponse and
 * SetParameterValues, with the tolerant reading of `xsi:type`.
 * @module
 */
import type { ParameterValueStruct, ValueType } from "../../cwmp/value.js";
import { isStandardValueType, standardValueTypes } from "../../cwmp/value.js";
import { DecodeError } from "../decode-error.js";
import {
  childrenOf,
  type DecodeContext,
  fail,
  findChild,
  hasLocalName,
  type Located,
  localName,
  nodeName,
  pathOf,
  requireChild,
  textOf,
  type XNode,
  xsiTypeAttribute,
} from "../xml-reader.js";

// The spellings nearly every peer writes, resolved without string work on the hot path.
const commonTypes: ReadonlyMap<string, ValueType> = new Map<string, ValueType>([
  ...standardValueTypes.map((t): [string, ValueType] => [`xsd:${t}`, t]),
  ["xsd:base64Binary", "base64"],
]);

/**
 * The value type named by an `xsi:type` text: a standard XSD type by its local name whatever its
 * prefix (`base64Binary` read as `base64`), any other type kept as written (`cwmp:IPAddress`).
 */
export const valueTypeOf = (xsiType: string): ValueType => {
  const known = commonTypes.get(xsiType);
  if (known !== undefined) return known;
  const t = xsiType.trim();
  const local = localName(t);
  if (isStandardValueType(local)) return local;
  if (local === "base64Binary") return "base64";
  return t;
};

/** The path of the struct element `node`/`qname` inside `list`, for messages. */
const structPath = (node: XNode, qname: string, list: Located): string =>
  pathOf({ node, qname, parent: list });

/**
 * Decodes one `ParameterValueStruct` element (`node`/`qname`, inside `list`); a missing
 * `xsi:type` is a warning and reads as `string`. The hot path of large lists: one pass over the
 * children, no allocation beyond the result unless something is wrong.
 */
const decodeStruct = (
  node: XNode,
  qname: string,
  list: Located,
  cx: DecodeContext,
  valueRequired: boolean,
): ParameterValueStruct | string => {
  let nameNode: XNode | undefined;
  let nameQ = "";
  let valueNode: XNode | undefined;
  let valueQ = "";
  for (const c of childrenOf(node, qname)) {
    const q = nodeName(c);
    if (nameNode === undefined && hasLocalName(q, "Name")) {
      nameNode = c;
      nameQ = q;
    } else if (valueNode === undefined && hasLocalName(q, "Value")) {
      valueNode = c;
      valueQ = q;
    }
  }
  // The struct's path is built only on these rare paths: no closure per struct (under tsx's
  // keepNames each closure created costs a property definition).
  if (nameNode === undefined)
    return fail("MissingElement", `${structPath(node, qname, list)}/Name`, "missing element Name");
  const name = textOf(nameNode, nameQ);
  // A value the peer did not send must not be invented where it would be written (issue 9):
  // the parameter's name is returned for the caller's fault.
  if (valueNode === undefined && valueRequired) return name;
  if (valueNode === undefined) {
    cx.warnings.push(`${structPath(node, qname, list)}/Value: missing, read as "" of type string`);
    return { name, value: "", type: "string" };
  }
  const xsiType = xsiTypeAttribute(valueNode);
  if (xsiType === undefined)
    cx.warnings.push(`${structPath(node, qname, list)}/Value: missing xsi:type, read as string`);
  return {
    name,
    value: textOf(valueNode, valueQ),
    type: xsiType === undefined ? "string" : valueTypeOf(xsiType),
  };
};

/**
 * Decodes the `ParameterValueStruct` array child `name` of `parent` (items may have any element
 * name). Absent: `MissingElement` when `required`, else a warning and an empty list. A struct
 * without `Value` reads as `""` of type string with a warning, unless `valueRequired`
 * (SetParameterValues): then `MissingElement` naming every such parameter in `parameters`.
 */
export const decodeParameterValueList = (
  parent: Located,
  name: string,
  cx: DecodeContext,
  required: boolean,
  valueRequired = false,
): ParameterValueStruct[] => {
  const list = required ? requireChild(parent, name) : findChild(parent, name);
  if (list === undefined) {
    cx.warnings.push(`${pathOf(parent)}/${name}: missing, read as an empty array`);
    return [];
  }
  const out: ParameterValueStruct[] = [];
  let valueless: string[] | undefined;
  for (const c of childrenOf(list.node, list.qname)) {
    const q = nodeName(c);
    if (q === "#text") continue;
    const p = decodeStruct(c, q, list, cx, valueRequired);
    if (typeof p !== "string") out.push(p);
    else if (valueless === undefined) valueless = [p];
    else valueless.push(p);
  }
  if (valueless !== undefined)
    throw new DecodeError({
      reason: "MissingElement",
      element: `${pathOf(list)}/ParameterValueStruct/Value`,
      detail: `missing element Value for ${valueless.join(", ")}`,
      parameters: valueless,
    });
  return out;
};
