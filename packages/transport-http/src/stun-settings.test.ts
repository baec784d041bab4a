import { Effect } from "effect";
import { describe, expect, it } from "vitest";
import {
  acsHostOf,
  defaultStunSettings,
  makeStunSettingsSource,
  readStunSettings,
} from "./stun-settings.js";
import { deviceValuesModel } from "./test-support/device-values-model.js";

const MS = "Device.ManagementServer.";

const fallback = {
  ...defaultStunSettings,
  enable: true,
  serverAddress: "stun.profile",
  serverPort: 3479,
  username: "profile-user",
  password: "profile-pass",
};

describe("STUN settings from the data model (§1.8)", () => {
  it("§1.8: values the ACS stored win; absent parameters, empty strings and port 0 take the profile's", async () => {
    const settings = await Effect.runPromise(
      readStunSettings(
        deviceValuesModel({
          [`${MS}STUNEnable`]: "false",
          [`${MS}STUNServerAddress`]: "",
          [`${MS}STUNServerPort`]: "0",
          [`${MS}STUNUsername`]: "acs-user",
          [`${MS}STUNMinimumKeepAlivePeriod`]: "15",
          [`${MS}STUNMaximumKeepAlivePeriod`]: "-1",
        }),
        MS,
        fallback,
      ),
    );
    expect(settings).toEqual({
      ...fallback,
      enable: false,
      serverAddress: "stun.profile",
      serverPort: 3479,
      username: "acs-user",
      password: "profile-pass",
      minKeepAliveSeconds: 15,
      maxKeepAliveSeconds: -1,
    });
  });

  it("§1.8: the ACS host comes from the bound model's URL (IPv6 without brackets), else from the configured URL", async () => {
    expect(acsHostOf("http://[2001:db8::5]:7547/acs")).toBe("2001:db8::5");
    expect(acsHostOf("not a url")).toBeUndefined();
    const source = await Effect.runPromise(
      makeStunSettingsSource(fallback, "https://acs.example/cwmp"),
    );
    expect(await Effect.runPromise(source.acsHost)).toBe("acs.example");
    expect(await Effect.runPromise(source.settings)).toEqual(fallback);
    await Effect.runPromise(
      source.bind(
        deviceValuesModel({
          [`${MS}URL`]: "http://acs2.example:80/",
          [`${MS}STUNEnable`]: "false",
        }),
        MS,
      ),
    );
    expect(await Effect.runPromise(source.acsHost)).toBe("acs2.example");
    expect((await Effect.runPromise(source.settings)).enable).toBe(false);
  });
});
