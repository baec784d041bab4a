/**
 * Which CWMP version an envelope speaks (V1, V2, V6, V7): the namespace gives 1.0, 1.1 or
 * "1.2 or later"; within `cwmp-1-2` the headers refine it.
 * @module
 */
import type { CwmpVersion, SoapHeader } from "./messages.js";
import { parseCwmpVersion } from "./namespaces.js";

/** The highest version in a `SupportedCWMPVersions` list (`"1.0,1.1,1.2"`, spaces tolerated). */
export const highestSupportedVersion = (list: string): CwmpVersion | undefined => {
  let best: CwmpVersion | undefined;
  for (const part of list.split(",")) {
    const v = parseCwmpVersion(part);
    if (v !== undefined && (best === undefined || v > best)) best = v;
  }
  return best;
};

/**
 * The version of an envelope whose CWMP namespace stands for `namespaceVersion`:
 * - 1.0 and 1.1 are final (their namespaces are exclusive to them);
 * - from 1.2 on (1.3 and 1.4 share `cwmp-1-2`): `UseCWMPVersion` when it names 1.2 or later,
 *   else the highest of `SupportedCWMPVersions` when later than the namespace's, else 1.3 when
 *   `SessionTimeout` (a 1.3 header) is present, else the namespace's version.
 */
export const detectVersion = (namespaceVersion: CwmpVersion, header: SoapHeader): CwmpVersion => {
  if (namespaceVersion < "1.2") return namespaceVersion;
  const use =
    header.useCwmpVersion === undefined ? undefined : parseCwmpVersion(header.useCwmpVersion);
  if (use !== undefined && use >= "1.2") return use;
  const supported =
    header.supportedCwmpVersions === undefined
      ? undefined
      : highestSupportedVersion(header.supportedCwmpVersions);
  if (supported !== undefined && supported > namespaceVersion) return supported;
  if (header.sessionTimeout !== undefined && namespaceVersion === "1.2") return "1.3";
  return namespaceVersion;
};
