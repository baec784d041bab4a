import { Effect } from "effect";
import { describe, expect, it } from "vitest";
import { XmppConnectError, xmppConnector, xmppService } from "./xmpp-connector.js";
import { defaultXmppSettings } from "./xmpp-settings.js";

describe("XMPP connector (§1.9)", () => {
  it("§1.9: a server address and port give the service directly (IPv6 in brackets), no DNS", async () => {
    const s = { ...defaultXmppSettings, domain: "cpekit.test", serverPort: 5333 };
    expect(await Effect.runPromise(xmppService({ ...s, serverAddress: "127.0.0.1" }))).toBe(
      "xmpp://127.0.0.1:5333",
    );
    expect(await Effect.runPromise(xmppService({ ...s, serverAddress: "::1" }))).toBe(
      "xmpp://[::1]:5333",
    );
  });

  it("§1.9: an empty Domain or Username is refused before any connection", async () => {
    const connect = xmppConnector({});
    for (const s of [
      { ...defaultXmppSettings, domain: "", username: "cpe" },
      { ...defaultXmppSettings, domain: "cpekit.test", username: "" },
    ]) {
      const r = await Effect.runPromise(
        Effect.either(Effect.scoped(connect(s, async () => "accepted"))),
      );
      expect(r._tag).toBe("Left");
      if (r._tag === "Left") {
        expect(r.left).toBeInstanceOf(XmppConnectError);
        expect(r.left.reason).toBe("Misconfigured");
      }
    }
  });
});
