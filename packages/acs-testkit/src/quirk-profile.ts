/**
 * A quirk profile: the choices on which real ACSes differ, gathered so that one endpoint can
 * behave like the strict spec reading or like a given product (GenieACS first). Each field says
 * what it changes; the profiles are in `strict-profile.ts` and `genieacs-profile.ts`.
 * @module
 */
import type { CwmpVersion, Envelope, ParameterValueStruct } from "@cpekit/core";
import type { EnvelopeSniff } from "./envelope-sniff.js";

/** What the ACS settles from the CPE's Inform: the session version and how it answers. */
export interface Negotiation {
  /** The version the ACS believes the session runs. */
  readonly version: CwmpVersion;
  /** The cwmp namespace URI the ACS writes in its envelopes. */
  readonly namespaceUri: string;
  /** `cwmp:UseCWMPVersion` to put in the InformResponse (V7), if any. */
  readonly useCwmpVersion?: string;
  /** The session timeout the ACS applies, in seconds (CPE silence after which it drops it). */
  readonly sessionTimeoutSeconds: number;
}

/** The CPE's Inform as a profile sees it: the decoded envelope and the raw facts. */
export interface InformView {
  readonly envelope: Envelope;
  readonly sniff: EnvelopeSniff;
}

/** The choices that make one ACS product different from another. */
export interface QuirkProfile {
  /** Shown in the transcript and reports. */
  readonly name: string;
  /** Name of the session cookie (`session` for GenieACS). */
  readonly cookieName: string;
  /** Attributes appended to `Set-Cookie` (`""` or `"; Path=/"`...). */
  readonly cookieAttributes: string;
  /** Whether a request without the cookie continues the session open on the same TCP
   * connection (GenieACS binds sessions to sockets); otherwise it is a new session. */
  readonly sessionBoundToConnection: boolean;
  /** Settles version, namespace and timeout; `undefined` refuses the Inform (400). */
  readonly negotiate: (inform: InformView) => Negotiation | undefined;
  /** CPE request methods the ACS implements; others get {@link unknownRequestFault}. */
  readonly acceptedCpeRequests: ReadonlySet<string>;
  /** The fault answered to a CPE request the ACS does not implement (8000). */
  readonly unknownRequestFault: number;
  /** The MethodList answered to a CPE's GetRPCMethods. */
  readonly rpcMethods: readonly string[];
  /** Rewrites the lexical form of a value the ACS sends in SetParameterValues. */
  readonly writeValue: (value: ParameterValueStruct) => ParameterValueStruct;
  /** `Retry-After` of the 503 answered to a new session when saturated. */
  readonly retryAfterSeconds: number;
  /** Whether the final 204 carries `Connection: close`. */
  readonly closeConnectionAtEnd: boolean;
  /** Whether the profile ever sends `cwmp:HoldRequests` on its own (injections always can). */
  readonly sendsHoldRequests: boolean;
}

/** The cwmp namespace URI of each version as the BBF XSDs define it (V2). */
export const specNamespaceOf = (version: CwmpVersion): string =>
  version === "1.0"
    ? "urn:dslforum-org:cwmp-1-0"
    : version === "1.1"
      ? "urn:dslforum-org:cwmp-1-1"
      : "urn:dslforum-org:cwmp-1-2";
