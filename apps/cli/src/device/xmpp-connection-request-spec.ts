/**
 * The XMPP connection request of a device (TR-069 Annex K, requirement section 1.9) as the
 * profile's `connectionRequest.xmpp` section settles it: the settings of the stream, the
 * data-model paths it adds to the device's schema, and their factory values
 * (`Device.XMPP.Connection.1`, ManagementServer.ConnReq*).
 * @module
 */
import { resolve } from "node:path";
import {
  defaultXmppSettings,
  XMPP_CONNECTION_PARAMETERS,
  XMPP_CONNECTION_REQUEST_PARAMETERS,
  type XmppSettings,
} from "@cpekit/transport-http";
import type { XmppConnectionRequestSection } from "../profile/device-profile.js";

/** The XMPP connection-request source of a device. */
export interface XmppConnectionRequestSpec {
  /** The factory settings of `Device.XMPP.Connection.1`. */
  readonly settings: XmppSettings;
  /** The factory ConnReqAllowedJabberIDs. */
  readonly allowedJabberIds: readonly string[];
  /** Absolute path of a PEM CA file to trust instead of the system's. */
  readonly caFile?: string;
  readonly rejectUnauthorized: boolean;
}

/** The connection object the device uses (ConnReqXMPPConnection points at it). */
export const XMPP_CONNECTION = "Device.XMPP.Connection.1";

/** The spec of a profile section; relative paths (caFile) are taken from `base`. */
export const xmppSpecOf = (
  section: typeof XmppConnectionRequestSection.Type,
  base: string,
): XmppConnectionRequestSpec => ({
  settings: {
    ...defaultXmppSettings,
    domain: section.domain,
    username: section.username,
    password: section.password ?? "",
    resource: section.resource ?? "cwmp",
    serverAddress: section.server ?? "",
    serverPort: section.port ?? defaultXmppSettings.serverPort,
    useTls: section.useTls ?? false,
    keepAliveSeconds: section.keepAliveInterval ?? defaultXmppSettings.keepAliveSeconds,
    retryInitialSeconds: section.retryInitialInterval ?? defaultXmppSettings.retryInitialSeconds,
    retryMultiplier: section.retryIntervalMultiplier ?? defaultXmppSettings.retryMultiplier,
    retryMaxSeconds: section.retryMaxInterval ?? defaultXmppSettings.retryMaxSeconds,
    connectAttempts: section.connectAttempts ?? defaultXmppSettings.connectAttempts,
  },
  allowedJabberIds: section.allowedJabberIds ?? [],
  ...(section.caFile === undefined ? {} : { caFile: resolve(base, section.caFile) }),
  rejectUnauthorized: section.verifyTls ?? true,
});

/** The schema paths XMPP connection requests add (Device root). */
export const xmppSchemaPaths = (root: string): readonly string[] => [
  ...XMPP_CONNECTION_REQUEST_PARAMETERS.map((n) => `${root}.ManagementServer.${n}`),
  `${root}.XMPP.ConnectionNumberOfEntries`,
  ...XMPP_CONNECTION_PARAMETERS.map((n) => `${root}.XMPP.Connection.{i}.${n}`),
  ...["Enable", "ServerAddress", "Port"].map((n) => `${root}.XMPP.Connection.{i}.Server.{i}.${n}`),
];

/** The factory values: the connection object, its server row and ManagementServer.ConnReq*. */
export const xmppImpliedValues = (
  root: string,
  spec: XmppConnectionRequestSpec,
): Record<string, string> => {
  const s = spec.settings;
  const c = `${root}.XMPP.Connection.1.`;
  const ms = `${root}.ManagementServer.`;
  return {
    [`${ms}ConnReqXMPPConnection`]: `${root}.XMPP.Connection.1`,
    [`${ms}ConnReqAllowedJabberIDs`]: spec.allowedJabberIds.join(","),
    [`${ms}ConnReqJabberID`]: "",
    [`${c}Enable`]: "true",
    [`${c}Username`]: s.username,
    [`${c}Password`]: s.password,
    [`${c}Domain`]: s.domain,
    [`${c}Resource`]: s.resource,
    [`${c}JabberID`]: "",
    [`${c}ServerConnectAlgorithm`]: s.serverAddress === "" ? "DNS-SRV" : "ServerTable",
    [`${c}KeepAliveInterval`]: String(s.keepAliveSeconds),
    [`${c}ServerRetryInitialInterval`]: String(s.retryInitialSeconds),
    [`${c}ServerRetryIntervalMultiplier`]: String(s.retryMultiplier),
    [`${c}ServerRetryMaxInterval`]: String(s.retryMaxSeconds),
    [`${c}ServerConnectAttempts`]: String(s.connectAttempts),
    [`${c}UseTLS`]: String(s.useTls),
    ...(s.serverAddress === ""
      ? {}
      : {
          [`${c}Server.1.Enable`]: "true",
          [`${c}Server.1.ServerAddress`]: s.serverAddress,
          [`${c}Server.1.Port`]: String(s.serverPort),
        }),
  };
};
