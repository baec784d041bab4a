import { Effect } from "effect";
import { describe, expect, it } from "vitest";
import { deviceValuesModel } from "./test-support/device-values-model.js";
import {
  DEVICE_KEEP_ALIVE_SECONDS,
  defaultXmppSettings,
  keepAliveSeconds,
  readXmppSettings,
  xmppRetryWaitSeconds,
} from "./xmpp-settings.js";

const C = "Device.XMPP.Connection.1.";

const fallback = {
  ...defaultXmppSettings,
  domain: "d",
  username: "u",
  useTls: true,
  keepAliveSeconds: 45,
  serverAddress: "s",
  serverPort: 5999,
  connectAttempts: 7,
};
const read = (values: Record<string, string>) =>
  Effect.runPromise(readXmppSettings(deviceValuesModel(values), C, fallback));

describe("XMPP connection settings (§1.9)", () => {
  it("§1.9: the TR-181 defaults: retry 60 s ×2.000 up to 30720 s, 16 connect attempts, keep-alive -1, port 5222, UseTLS false", () => {
    expect(defaultXmppSettings).toStrictEqual({
      enable: true,
      domain: "",
      username: "",
      password: "",
      resource: "",
      serverAddress: "",
      retryInitialSeconds: 60,
      retryMultiplier: 2000,
      retryMaxSeconds: 30720,
      keepAliveSeconds: -1,
      serverPort: 5222,
      useTls: false,
      connectAttempts: 16,
    });
  });

  it("§1.9: KeepAliveInterval 0 turns keep-alives off, -1 is the device's period, others are used as given", () => {
    expect(keepAliveSeconds({ keepAliveSeconds: 0 })).toBeUndefined();
    expect(keepAliveSeconds({ keepAliveSeconds: -1 })).toBe(DEVICE_KEEP_ALIVE_SECONDS);
    expect(DEVICE_KEEP_ALIVE_SECONDS).toBe(120);
    expect(keepAliveSeconds({ keepAliveSeconds: 1 })).toBe(1);
    expect(keepAliveSeconds({ keepAliveSeconds: 300 })).toBe(300);
  });

  it("§1.9: out-of-range retry values are raised to the TR-181 minimums (1 s, ×1.000, 1 s), attempt 0 counts as 1", () => {
    const zero = { retryInitialSeconds: 0, retryMultiplier: 0, retryMaxSeconds: 0 };
    // Initial 0 → 1 s, multiplier 0 → 1.000, max 0 → 1 s: the bound 1 is not above the max.
    expect(xmppRetryWaitSeconds(zero, 5, 0.5)).toBe(0.5);
    const s = { retryInitialSeconds: 8, retryMultiplier: 2000, retryMaxSeconds: 1000 };
    expect(xmppRetryWaitSeconds(s, 0, 1)).toBe(8);
    expect(xmppRetryWaitSeconds(s, 1, 1)).toBe(8);
    expect(xmppRetryWaitSeconds(s, 2, 1)).toBe(16);
    // Exactly at the max: still random (only a bound above the max gives the max itself).
    expect(xmppRetryWaitSeconds({ ...s, retryMaxSeconds: 16 }, 2, 0.25)).toBe(4);
    expect(xmppRetryWaitSeconds({ ...s, retryMaxSeconds: 15 }, 2, 0.25)).toBe(15);
  });

  it("§1.9: UseTLS reads true/1 as on, false/0 as off, empty as the profile's", async () => {
    expect((await read({ [`${C}UseTLS`]: "1" })).useTls).toBe(true);
    expect((await read({ [`${C}UseTLS`]: "true" })).useTls).toBe(true);
    expect((await read({ [`${C}UseTLS`]: "false" })).useTls).toBe(false);
    expect((await read({ [`${C}UseTLS`]: "0" })).useTls).toBe(false);
    expect((await read({ [`${C}UseTLS`]: "" })).useTls).toBe(true);
  });

  it("§1.9: every stored text value is read from its own parameter", async () => {
    const s = await read({
      [`${C}Domain`]: "dom",
      [`${C}Username`]: "usr",
      [`${C}Password`]: "pwd",
      [`${C}Resource`]: "res",
      [`${C}Server.1.ServerAddress`]: "srv",
    });
    expect(s).toMatchObject({
      domain: "dom",
      username: "usr",
      password: "pwd",
      resource: "res",
      serverAddress: "srv",
    });
  });

  it("§1.9: ServerConnectAttempts is read as stored, 0 (no limit) included; unreadable takes the profile's", async () => {
    expect((await read({ [`${C}ServerConnectAttempts`]: "3" })).connectAttempts).toBe(3);
    expect((await read({ [`${C}ServerConnectAttempts`]: "0" })).connectAttempts).toBe(0);
    expect((await read({ [`${C}ServerConnectAttempts`]: "x" })).connectAttempts).toBe(
      fallback.connectAttempts,
    );
  });

  it("§1.9: numbers with other characters around them take the profile's", async () => {
    expect((await read({ [`${C}KeepAliveInterval`]: "12abc" })).keepAliveSeconds).toBe(45);
    expect((await read({ [`${C}KeepAliveInterval`]: "abc12" })).keepAliveSeconds).toBe(45);
  });

  it("§1.9: numbers that do not parse, and retry values of 0, take the profile's", async () => {
    const s = await read({
      [`${C}KeepAliveInterval`]: "soon",
      [`${C}ServerRetryInitialInterval`]: "0",
      [`${C}ServerRetryIntervalMultiplier`]: "x",
      [`${C}ServerRetryMaxInterval`]: "",
      [`${C}Server.1.Port`]: "0",
      [`${C}Server.1.ServerAddress`]: "",
    });
    expect(s).toEqual(fallback);
    const t = await read({
      [`${C}KeepAliveInterval`]: " -1 ",
      [`${C}ServerRetryMaxInterval`]: "99",
      [`${C}Server.1.Port`]: "1234",
    });
    expect(t).toMatchObject({ keepAliveSeconds: -1, retryMaxSeconds: 99, serverPort: 1234 });
  });
});
