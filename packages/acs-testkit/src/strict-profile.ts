/**
 * The strict profile: an ACS that follows TR-069 Amd 6 as `cwmp-requirements.md` reads it.
 * Answers in the CPE's namespace, settles the version with `UseCWMPVersion` when the CPE
 * advertises `SupportedCWMPVersions` (V7), implements every CPE request method, requires the
 * session cookie on every later POST (H6) and writes values exactly as the script gave them.
 * @module
 */
import type { CwmpVersion } from "@cpekit/core";
import { cpeRequestTags } from "./cpe-request-answer.js";
import { type Negotiation, type QuirkProfile, specNamespaceOf } from "./quirk-profile.js";

/** Options of {@link strictProfile}. */
export interface StrictProfileOptions {
  /** Versions the ACS implements (V1); all of 1.0-1.4 by default. */
  readonly acsVersions?: readonly CwmpVersion[];
  /** Send `UseCWMPVersion` when the CPE sent `SupportedCWMPVersions` (default true). */
  readonly useCwmpVersion?: boolean;
  /** Session timeout when the CPE sends no `SessionTimeout` (default 30 s). */
  readonly sessionTimeoutSeconds?: number;
}

const allVersions: readonly CwmpVersion[] = ["1.0", "1.1", "1.2", "1.3", "1.4"];

const byNamespace: Readonly<Record<string, CwmpVersion>> = {
  "urn:dslforum-org:cwmp-1-0": "1.0",
  "urn:dslforum-org:cwmp-1-1": "1.1",
  "urn:dslforum-org:cwmp-1-2": "1.2",
};

/** The strict profile (see the module comment). */
export const strictProfile = (options: StrictProfileOptions = {}): QuirkProfile => {
  const acsVersions = options.acsVersions ?? allVersions;
  return {
    name: "strict",
    cookieName: "CWMPSID",
    cookieAttributes: "; Path=/; HttpOnly",
    sessionBoundToConnection: false,
    negotiate: ({ envelope, sniff }): Negotiation | undefined => {
      const fromNamespace = sniff.cwmpNamespace ? byNamespace[sniff.cwmpNamespace] : undefined;
      if (fromNamespace === undefined) return undefined;
      // 1.3 and 1.4 share the 1.2 namespace (V2): the codec's header-based detection decides.
      const detected = fromNamespace === "1.2" ? envelope.version : fromNamespace;
      const timeout = envelope.header.sessionTimeout ?? options.sessionTimeoutSeconds ?? 30;
      const supported = envelope.header.supportedCwmpVersions;
      if (supported !== undefined && options.useCwmpVersion !== false) {
        const offered = supported.split(",").map((v) => v.trim());
        const common = acsVersions.filter((v) => offered.includes(v));
        const chosen = common[common.length - 1];
        if (chosen === undefined) return undefined;
        return {
          version: chosen,
          namespaceUri: specNamespaceOf(chosen),
          useCwmpVersion: chosen,
          sessionTimeoutSeconds: timeout,
        };
      }
      if (!acsVersions.includes(detected)) return undefined;
      return {
        version: detected,
        namespaceUri: sniff.cwmpNamespace ?? specNamespaceOf(detected),
        sessionTimeoutSeconds: timeout,
      };
    },
    acceptedCpeRequests: cpeRequestTags,
    unknownRequestFault: 8000,
    rpcMethods: [...cpeRequestTags],
    writeValue: (v) => v,
    retryAfterSeconds: 60,
    closeConnectionAtEnd: false,
    sendsHoldRequests: false,
  };
};
