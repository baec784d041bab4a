/**
 * Test support: a diagnostics manager over the fixture schema and the fake diagnostics, on a
 * section store in memory unless a test gives its own (to make saving fail).
 * @module
 */
import { Effect } from "effect";
import { makeSectionStore, type SectionStore } from "../../agent/section-store.js";
import { makeMemoryStore } from "../../ports/store.js";
import { type DiagnosticsManager, makeDiagnosticsManager } from "../diagnostics-manager.js";
import { diagnosticsSchema, fakeDiagnostics } from "./diagnostics-fixture.js";

/** The manager, the fake it runs tests on, and its store. */
export interface DiagnosticsManagerSetup {
  readonly manager: DiagnosticsManager;
  readonly fake: ReturnType<typeof fakeDiagnostics>;
  readonly store: SectionStore;
}

/** Makes a manager on `store` (default: a fresh one in memory). */
export const diagnosticsManagerSetup = (store?: SectionStore) =>
  Effect.gen(function* () {
    const sections = store ?? (yield* makeSectionStore(yield* makeMemoryStore()));
    const fake = fakeDiagnostics();
    const manager = yield* makeDiagnosticsManager({
      schema: diagnosticsSchema,
      service: fake.service,
      store: sections,
    });
    return { manager, fake, store: sections } satisfies DiagnosticsManagerSetup;
  });
