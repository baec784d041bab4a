import type { DataModel, ParameterChange } from "@cpekit/core";
import { Effect } from "effect";
import { describe, expect, it } from "vitest";
import { deviceValuesModel } from "./test-support/device-values-model.js";
import {
  makeXmppSettingsSource,
  publishJabberId,
  xmppConnectionPrefix,
  xmppStatusProvider,
} from "./xmpp-data-model.js";
import { defaultXmppSettings, readXmppSettings } from "./xmpp-settings.js";

const MS = "Device.ManagementServer.";
const C1 = "Device.XMPP.Connection.1.";
const C2 = "Device.XMPP.Connection.2.";

/** A data model holding `values` (a missing name fails, as an unknown parameter does). */
const modelOf = (values: Record<string, string>) => {
  const recorded: ParameterChange[] = [];
  const model: Pick<DataModel, "getDeviceValues" | "recordChanges"> = {
    ...deviceValuesModel(values),
    recordChanges: (changes) =>
      Effect.sync(() => {
        recorded.push(...changes);
        for (const c of changes) values[c.path] = c.value;
        return changes.map((c) => c.path);
      }),
  };
  return { model, recorded, values };
};

const fallback = {
  ...defaultXmppSettings,
  domain: "profile.example",
  username: "profile-user",
  password: "profile-pass",
  resource: "cwmp",
};

const connection = (prefix: string, domain: string) => ({
  [`${prefix}Enable`]: "true",
  [`${prefix}Domain`]: domain,
  [`${prefix}Username`]: "u",
  [`${prefix}Password`]: "",
  [`${prefix}Resource`]: "",
  [`${prefix}KeepAliveInterval`]: "300",
  [`${prefix}ServerRetryInitialInterval`]: "5",
  [`${prefix}ServerRetryIntervalMultiplier`]: "1500",
  [`${prefix}ServerRetryMaxInterval`]: "600",
  [`${prefix}UseTLS`]: "true",
  [`${prefix}Server.1.ServerAddress`]: "10.0.0.9",
  [`${prefix}Server.1.Port`]: "5333",
});

describe("XMPP settings in the data model (§1.9)", () => {
  it("§1.9: the connection's stored values win; empty strings take the profile's", async () => {
    const { model } = modelOf(connection(C1, "acs.example"));
    const s = await Effect.runPromise(readXmppSettings(model, C1, fallback));
    expect(s).toEqual({
      ...fallback,
      domain: "acs.example",
      username: "u",
      password: "profile-pass",
      resource: "cwmp",
      keepAliveSeconds: 300,
      retryInitialSeconds: 5,
      retryMultiplier: 1500,
      retryMaxSeconds: 600,
      useTls: true,
      serverAddress: "10.0.0.9",
      serverPort: 5333,
    });
  });

  it("§1.9: a model without the connection gives the profile's settings", async () => {
    const { model } = modelOf({});
    expect(await Effect.runPromise(readXmppSettings(model, C1, fallback))).toEqual(fallback);
  });

  it("§1.9: ConnReqXMPPConnection picks the connection whose settings are used", async () => {
    const { model, values } = modelOf({
      ...connection(C1, "one.example"),
      ...connection(C2, "two.example"),
      [`${MS}ConnReqXMPPConnection`]: "Device.XMPP.Connection.2",
      [`${MS}ConnReqAllowedJabberIDs`]: "",
    });
    const source = await Effect.runPromise(makeXmppSettingsSource(fallback, ["a@b"]));
    expect((await Effect.runPromise(source.settings)).domain).toBe("profile.example");
    expect(await Effect.runPromise(source.allowedJabberIds)).toEqual(["a@b"]);
    await Effect.runPromise(source.bind(model, MS));
    expect((await Effect.runPromise(source.settings)).domain).toBe("two.example");
    values[`${MS}ConnReqXMPPConnection`] = "Device.XMPP.Connection.1.";
    expect((await Effect.runPromise(source.settings)).domain).toBe("one.example");
    // An empty reference: the profile's settings.
    values[`${MS}ConnReqXMPPConnection`] = "";
    expect((await Effect.runPromise(source.settings)).domain).toBe("profile.example");
  });

  it("§1.9: a disabled connection reads as not enabled (no stream), an enabled one as enabled", async () => {
    const { model } = modelOf({
      ...connection(C1, "one.example"),
      [`${C1}Enable`]: "false",
      [`${MS}ConnReqXMPPConnection`]: "Device.XMPP.Connection.1",
    });
    const source = await Effect.runPromise(makeXmppSettingsSource(fallback, []));
    await Effect.runPromise(source.bind(model, MS));
    expect((await Effect.runPromise(source.settings)).enable).toBe(false);
    const on = modelOf({
      ...connection(C1, "one.example"),
      [`${C1}Enable`]: "true",
      [`${MS}ConnReqXMPPConnection`]: "Device.XMPP.Connection.1",
    });
    await Effect.runPromise(source.bind(on.model, MS));
    expect(await Effect.runPromise(source.settings)).toMatchObject({
      enable: true,
      domain: "one.example",
    });
  });

  it("§1.9: ConnReqAllowedJabberIDs set by the ACS is the list enforced once bound (empty: everyone)", async () => {
    const { model, values } = modelOf({
      [`${MS}ConnReqAllowedJabberIDs`]: "acs1@x.example, acs2@x.example/r",
    });
    const source = await Effect.runPromise(makeXmppSettingsSource(fallback, ["profile@x"]));
    await Effect.runPromise(source.bind(model, MS));
    expect(await Effect.runPromise(source.allowedJabberIds)).toEqual([
      "acs1@x.example",
      "acs2@x.example/r",
    ]);
    values[`${MS}ConnReqAllowedJabberIDs`] = "";
    expect(await Effect.runPromise(source.allowedJabberIds)).toEqual([]);
  });

  it("§1.9: the bound JID is written to ConnReqJabberID and the picked connection's JabberID, once", async () => {
    const { model, recorded } = modelOf({
      [`${MS}ConnReqJabberID`]: "",
      [`${MS}ConnReqXMPPConnection`]: "Device.XMPP.Connection.1",
      [`${C1}JabberID`]: "",
    });
    const pending = await Effect.runPromise(publishJabberId(model, MS, "cpe@x/cwmp"));
    expect(pending).toEqual([`${MS}ConnReqJabberID`, `${C1}JabberID`]);
    expect(recorded).toEqual([
      { path: `${MS}ConnReqJabberID`, value: "cpe@x/cwmp" },
      { path: `${C1}JabberID`, value: "cpe@x/cwmp" },
    ]);
    // The same JID again changes nothing (a reconnect keeps it).
    expect(await Effect.runPromise(publishJabberId(model, MS, "cpe@x/cwmp"))).toEqual([]);
    expect(recorded).toHaveLength(2);
  });

  it("§1.9: parameters the model lacks are skipped", async () => {
    const { model, recorded } = modelOf({});
    expect(await Effect.runPromise(publishJabberId(model, MS, "cpe@x/cwmp"))).toEqual([]);
    expect(recorded).toEqual([]);
  });

  it("§1.9: a ConnReqXMPPConnection reference becomes an object prefix", () => {
    expect(xmppConnectionPrefix("Device.XMPP.Connection.1")).toBe(C1);
    expect(xmppConnectionPrefix(" Device.XMPP.Connection.1. ")).toBe(C1);
    expect(xmppConnectionPrefix("  ")).toBeUndefined();
  });
});

describe("the XMPP connection's live values (§1.9, TR-181 Status, LastChangeDate, Stats)", () => {
  const source = {
    status: Effect.succeed({
      state: "ServerNotPresent" as const,
      since: Date.UTC(2026, 11, 7, 5, 43, 13, 456),
    }),
    stats: Effect.succeed({
      receivedMessages: 11,
      transmittedMessages: 12,
      receivedErrorMessages: 3,
      transmittedErrorMessages: 4,
    }),
  };
  const provider = xmppStatusProvider(source, "Device", C1);
  const names = [
    "Status",
    "LastChangeDate",
    "Stats.ReceivedMessages",
    "Stats.TransmittedMessages",
    "Stats.ReceivedErrorMessages",
    "Stats.TransmittedErrorMessages",
  ];

  it("§1.9: it declares the six parameters of every Device.XMPP.Connection.{i}", () => {
    expect(provider.paths).toEqual(names.map((n) => `Device.XMPP.Connection.{i}.${n}`));
  });

  it("§1.9: the followed connection reads the stream's Status, its last change as a CWMP dateTime, and each counter from its own field", async () => {
    const values = await Effect.runPromise(provider.get(names.map((n) => `${C1}${n}`)));
    expect([...values]).toEqual([
      [`${C1}Status`, "ServerNotPresent"],
      [`${C1}LastChangeDate`, "2026-12-07T05:43:13Z"],
      [`${C1}Stats.ReceivedMessages`, "11"],
      [`${C1}Stats.TransmittedMessages`, "12"],
      [`${C1}Stats.ReceivedErrorMessages`, "3"],
      [`${C1}Stats.TransmittedErrorMessages`, "4"],
    ]);
  });

  it("§1.9: another instance (no stream; Connection.10 is not Connection.1) reads Disabled, unknown time, nothing counted", async () => {
    const c10 = "Device.XMPP.Connection.10.";
    const values = await Effect.runPromise(
      provider.get([...names.map((n) => `${C2}${n}`), `${c10}Status`]),
    );
    expect([...values.values()]).toEqual([
      "Disabled",
      "0001-01-01T00:00:00Z",
      "0",
      "0",
      "0",
      "0",
      "Disabled",
    ]);
  });

  it("§1.9: a write is refused as read-only (9008)", async () => {
    const r = await Effect.runPromise(
      Effect.either(provider.set([{ path: `${C1}Status`, value: "Enabled" }])),
    );
    expect(r._tag === "Left" && r.left.faultCode).toBe(9008);
    expect(r._tag === "Left" && r.left.detail).toBe(`read-only: ${C1}Status`);
  });
});
