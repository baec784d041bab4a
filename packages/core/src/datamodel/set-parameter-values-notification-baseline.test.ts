// §1.11: a value set by the ACS becomes the notification baseline of a watched parameter [R]
// (A.3.2.4); an unwatched one gets its baseline only when a notification is turned on.
import { Effect } from "effect";
import { describe, expect, it } from "vitest";
import type { Notification } from "../cwmp/structs.js";
import { CELLULAR } from "./test-support/device-fixture.js";
import { withDevice } from "./test-support/test-device.js";

const APN1 = `${CELLULAR}Interface.1.APN`;
const attr = (name: string, notification: Notification) => ({
  name,
  notificationChange: true,
  notification,
  accessListChange: false,
  accessList: [],
});

describe("SetParameterValues and the notification baseline (§1.11)", () => {
  it("§1.11 a value the ACS set while notification was off is no baseline: turning it on reads the current value", () =>
    withDevice(({ model, cellular }) =>
      Effect.gen(function* () {
        yield* model.setParameterValues([{ name: APN1, value: "acs-set", type: "string" }], "k");
        // The device changes it while nobody watches.
        cellular.values.set(APN1, "device-set");
        yield* model.setParameterAttributes([attr(APN1, 2)]);
        expect(yield* model.poll).toEqual([]);
        cellular.values.set(APN1, "changed-again");
        expect(yield* model.poll).toEqual([APN1]);
      }),
    ));
});
