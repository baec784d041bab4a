import { describe, expect, it } from "vitest";
import { mergeAfterSession, noAfterSession, rebootCommandKeys } from "./after-session.js";

describe("mergeAfterSession", () => {
  it("§1.5 M Reboot: two Reboots in one session keep both CommandKeys in order (the last is `reboot`)", () => {
    const merged = [
      { ...noAfterSession, reboot: "rb-a" },
      { ...noAfterSession, scheduleInforms: [{ delaySeconds: 5, commandKey: "si" }] },
      { ...noAfterSession, reboot: "rb-b" },
    ].reduce(mergeAfterSession, noAfterSession);
    expect(merged.reboot).toBe("rb-b");
    expect(rebootCommandKeys(merged)).toEqual(["rb-a", "rb-b"]);
    expect(merged.scheduleInforms).toHaveLength(1);
  });

  it("no Reboot gives no CommandKey; a lone `reboot` reads as its one key", () => {
    expect(rebootCommandKeys(mergeAfterSession(noAfterSession, noAfterSession))).toEqual([]);
    expect(rebootCommandKeys({ ...noAfterSession, reboot: "x" })).toEqual(["x"]);
  });
});
