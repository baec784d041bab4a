/**
 * How an agent that cannot start because of its store says why (issue 9): a store that cannot
 * be read is `StoreFailed`, a corrupt one `CorruptState`, each naming the store's own words.
 */
import { Effect, Either, Layer } from "effect";
import { describe, expect, it } from "vitest";
import { deviceFixture } from "../datamodel/test-support/device-fixture.js";
import { AcsTransport } from "../ports/acs-transport.js";
import { DeviceActions } from "../ports/device-actions.js";
import { FileTransfer } from "../ports/file-transfer.js";
import { Store, StoreError, type StoreErrorReason } from "../ports/store.js";
import { makeAgent } from "./agent.js";

/** Starts an agent over a store whose load fails with `reason`; returns the start's error. */
const startWithFailingStore = (reason: StoreErrorReason, detail: string) =>
  Effect.runPromise(
    Effect.either(
      Effect.scoped(
        makeAgent({
          deviceId: {
            manufacturer: "cpekit",
            oui: "A1B2C3",
            productClass: "Sim",
            serialNumber: "1",
          },
          acs: { url: "http://127.0.0.1:7547/acs" },
          dataModel: { schema: deviceFixture },
        }),
      ),
    ).pipe(
      Effect.provide(
        Layer.mergeAll(
          Layer.succeed(Store, {
            load: Effect.fail(new StoreError({ reason, path: "/var/cpekit/dev.json", detail })),
            save: () => Effect.void,
          }),
          // Never reached: the agent fails while loading its state.
          Layer.succeed(AcsTransport, { open: () => Effect.die("unused") }),
          Layer.succeed(DeviceActions, {
            reboot: Effect.die("unused"),
            factoryReset: Effect.die("unused"),
            applyFirmware: () => Effect.die("unused"),
            applyConfig: () => Effect.die("unused"),
          }),
          Layer.succeed(FileTransfer, {
            download: () => Effect.die("unused"),
            upload: () => Effect.die("unused"),
          }),
        ),
      ),
    ),
  );

describe("makeAgent over a store it cannot use (issue 9)", () => {
  it("a store path that cannot be read (a directory) is StoreFailed, not CorruptState, and says what the path is", async () => {
    const r = await startWithFailingStore(
      "ReadFailed",
      "cannot read the store: the path is a directory, not a file (EISDIR)",
    );
    expect(Either.isLeft(r) && r.left.reason).toBe("StoreFailed");
    expect(Either.isLeft(r) && r.left.message).toContain("the path is a directory");
  });

  it("a store that found its file corrupt is still CorruptState", async () => {
    const r = await startWithFailingStore("Corrupt", "not JSON");
    expect(Either.isLeft(r) && r.left.reason).toBe("CorruptState");
  });
});
