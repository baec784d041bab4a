/**
 * The GenieACS profile: what a CPE meets in front of GenieACS (HEAD 3cbae19), from the last part
 * of `cwmp-requirements.md`:
 * - cookie `session=<id>` without attributes, and the session also bound to the TCP connection;
 * - answers in the CPE's namespace, with its version detection quirk: `cwmp-1-0`/`1-1` are
 *   1.0/1.1, `cwmp-1-2` is 1.2 unless a header named `sessionTimeout` (lower-case s) is present
 *   (then 1.3), `cwmp-1-3` is 1.4 and is answered in `cwmp-1-3`; any other namespace is refused;
 * - never sends `HoldRequests` nor `UseCWMPVersion`; `MaxEnvelopes` always 1;
 * - accepts only Inform, GetRPCMethods, TransferComplete and RequestDownload from the CPE, and
 *   answers any other CPE request with fault 8000; its MethodList names the first three only;
 * - writes booleans as `true`/`false` and dateTimes as ISO 8601 with milliseconds
 *   (`cwmp.booleanLiteral`, `cwmp.datetimeMilliseconds` default on);
 * - session timeout 30 s (`cwmp.sessionTimeout`); 503 with `Retry-After: 60` when saturated;
 *   `Connection: close` on the final 204.
 * @module
 */
import type { CwmpVersion, ParameterValueStruct } from "@cpekit/core";
import type { Negotiation, QuirkProfile } from "./quirk-profile.js";

/** Options of {@link genieAcsProfile}: the GenieACS config knobs the testkit reproduces. */
export interface GenieAcsProfileOptions {
  /** `cwmp.sessionTimeout` in seconds (default 30). */
  readonly sessionTimeoutSeconds?: number;
  /** `cwmp.booleanLiteral`: `true`/`false` (default) instead of `1`/`0`. */
  readonly booleanLiteral?: boolean;
  /** `cwmp.datetimeMilliseconds`: dateTimes with `.sss` (default) or without. */
  readonly datetimeMilliseconds?: boolean;
}

const namespaceOfVersion: Readonly<Record<CwmpVersion, string>> = {
  "1.0": "urn:dslforum-org:cwmp-1-0",
  "1.1": "urn:dslforum-org:cwmp-1-1",
  "1.2": "urn:dslforum-org:cwmp-1-2",
  "1.3": "urn:dslforum-org:cwmp-1-2",
  "1.4": "urn:dslforum-org:cwmp-1-3",
};

const detectVersion = (
  namespace: string | undefined,
  headerEntries: Readonly<Record<string, string>>,
): CwmpVersion | undefined => {
  switch (namespace) {
    case "urn:dslforum-org:cwmp-1-0":
      return "1.0";
    case "urn:dslforum-org:cwmp-1-1":
      return "1.1";
    case "urn:dslforum-org:cwmp-1-2":
      // The quirk: the XSD header is `SessionTimeout`; only the lower-case form counts here.
      return Object.hasOwn(headerEntries, "sessionTimeout") ? "1.3" : "1.2";
    case "urn:dslforum-org:cwmp-1-3":
      return "1.4";
    default:
      return undefined;
  }
};

const rewriteValue =
  (booleanLiteral: boolean, datetimeMilliseconds: boolean) =>
  (v: ParameterValueStruct): ParameterValueStruct => {
    if (v.type === "boolean") {
      const on = v.value === "true" || v.value === "1";
      const off = v.value === "false" || v.value === "0";
      if (!on && !off) return v;
      return { ...v, value: booleanLiteral ? String(on) : on ? "1" : "0" };
    }
    if (v.type === "dateTime") {
      const t = Date.parse(v.value);
      if (Number.isNaN(t)) return v;
      const iso = new Date(t).toISOString();
      return { ...v, value: datetimeMilliseconds ? iso : iso.replace(/\.\d{3}Z$/, "Z") };
    }
    return v;
  };

/** The GenieACS profile (see the module comment). */
export const genieAcsProfile = (options: GenieAcsProfileOptions = {}): QuirkProfile => ({
  name: "genieacs",
  cookieName: "session",
  cookieAttributes: "",
  sessionBoundToConnection: true,
  negotiate: ({ sniff }): Negotiation | undefined => {
    const version = detectVersion(sniff.cwmpNamespace, sniff.headerEntries);
    if (version === undefined) return undefined;
    return {
      version,
      namespaceUri: namespaceOfVersion[version],
      sessionTimeoutSeconds: options.sessionTimeoutSeconds ?? 30,
    };
  },
  acceptedCpeRequests: new Set(["Inform", "GetRPCMethods", "TransferComplete", "RequestDownload"]),
  unknownRequestFault: 8000,
  // Its GetRPCMethodsResponse omits RequestDownload, which it nevertheless accepts.
  rpcMethods: ["Inform", "GetRPCMethods", "TransferComplete"],
  writeValue: rewriteValue(options.booleanLiteral ?? true, options.datetimeMilliseconds ?? true),
  retryAfterSeconds: 60,
  closeConnectionAtEnd: true,
  sendsHoldRequests: false,
});
