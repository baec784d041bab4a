/**
 * The seeded plan of the durability test: for each trial, what the ACS asks the device to do
 * and at which point of the ACS-side transcript the device is killed. The plan is drawn with
 * fast-check from a seed, so a failing run is replayed by its seed (the timings of the
 * processes still vary; the choices do not).
 * @module
 */
import type { TranscriptEntry } from "@cpekit/acs-testkit";
import fc from "fast-check";
import { hasCorruptedAnswer } from "./delivery-ledger.js";

/**
 * What the ACS asks the device in a trial. `malformedAnswer` asks for a Reboot and answers the
 * device's next Inform with an InformResponse followed by markup (`<x a=1>&bogus</y>`): a
 * session that must fail with every event kept (issue 9).
 */
export type AcsAction =
  | "none"
  | "reboot"
  | "download"
  | "downloadThenReboot"
  | "malformedAnswer"
  /** A ChangeDUState installing one DU (Annex H): its DUStateChangeComplete is owed. */
  | "changeDUState";

/** Where in the transcript the kill happens (right after the ACS recorded that exchange). */
export type KillStep =
  /** A random delay after the trial starts, wherever the device is then. */
  | "delay"
  /** The ACS has answered an Inform (the CPE has not saved the acknowledgment yet). */
  | "informResponseSent"
  /** The ACS has received the RebootResponse (and answered it). */
  | "rebootResponseReceived"
  /** The ACS has answered the Inform carrying `M Reboot` (the device rebooted as asked). */
  | "rebootInformed"
  /** The ACS has received the DownloadResponse (the transfer is saved, not yet run). */
  | "downloadResponseReceived"
  /** The ACS has served the file (the device is applying it, or about to). */
  | "fileServed"
  /** The ACS has received the TransferComplete and answered it. */
  | "transferCompleteReceived"
  /** The ACS has received the ChangeDUStateResponse (the request is saved, not yet run). */
  | "changeDUStateResponseReceived"
  /** The ACS has received the DUStateChangeComplete and answered it. */
  | "duStateChangeCompleteReceived"
  /** The ACS has ended a session with its empty answer (the CPE is saving the outcome). */
  | "sessionCompleted"
  /** The ACS has answered with a body it made malformed (the CPE is failing that session). */
  | "malformedAnswerSent";

/** One trial. */
export interface TrialPlan {
  readonly action: AcsAction;
  readonly step: KillStep;
  /**
   * Which occurrence of the step (after the trial's start) triggers the kill: 1 or 2 for the
   * steps every session has, 1 for the others.
   */
  readonly occurrence: number;
  /** For `delay`: ms after the trial's start. */
  readonly delayMs: number;
  /** For the other steps: ms between seeing the step and the kill. */
  readonly jitterMs: number;
}

const stepsFor: Record<AcsAction, readonly KillStep[]> = {
  none: ["delay", "informResponseSent", "sessionCompleted"],
  reboot: [
    "delay",
    "informResponseSent",
    "rebootResponseReceived",
    "rebootInformed",
    "rebootInformed",
    "sessionCompleted",
  ],
  download: [
    "delay",
    "downloadResponseReceived",
    "fileServed",
    "transferCompleteReceived",
    "sessionCompleted",
  ],
  malformedAnswer: [
    "delay",
    "malformedAnswerSent",
    "malformedAnswerSent",
    "rebootResponseReceived",
    "rebootInformed",
  ],
  changeDUState: [
    "delay",
    "changeDUStateResponseReceived",
    "fileServed",
    "duStateChangeCompleteReceived",
    "sessionCompleted",
  ],
  downloadThenReboot: [
    "delay",
    "downloadResponseReceived",
    "rebootResponseReceived",
    "rebootInformed",
    "fileServed",
    "transferCompleteReceived",
    "sessionCompleted",
  ],
};

/** The arbitrary of one trial. */
export const trialPlanArbitrary: fc.Arbitrary<TrialPlan> = fc
  .constantFrom<AcsAction>(
    "none",
    "reboot",
    "download",
    "download",
    "downloadThenReboot",
    "malformedAnswer",
    "changeDUState",
  )
  .chain((action) =>
    fc.record({
      action: fc.constant(action),
      step: fc.constantFrom(...stepsFor[action]),
      occurrence: fc.integer({ min: 1, max: 2 }),
      delayMs: fc.integer({ min: 0, max: 2000 }),
      jitterMs: fc.integer({ min: 0, max: 12 }),
    }),
  );

const recurring: ReadonlySet<KillStep> = new Set(["informResponseSent", "sessionCompleted"]);

/** `count` trials drawn from `seed`. */
export const drawTrialPlans = (seed: number, count: number): readonly TrialPlan[] =>
  fc
    .sample(trialPlanArbitrary, { seed, numRuns: count })
    .map((p) => (recurring.has(p.step) ? p : { ...p, occurrence: 1 }));

/** Whether transcript entry `e` is an occurrence of `step` for the device (`deviceKey`, `filePrefix`). */
export const isStep = (
  step: KillStep,
  e: TranscriptEntry,
  deviceKey: string,
  filePrefix: string,
): boolean => {
  if (step === "fileServed") return e.kind === "fileDownload" && e.url.startsWith(filePrefix);
  if (e.kind !== "cwmp" || e.deviceId !== deviceKey) return false;
  switch (step) {
    case "malformedAnswerSent":
      return hasCorruptedAnswer(e);
    case "informResponseSent":
      return e.response.message === "InformResponse";
    case "rebootResponseReceived":
      return e.request.message === "RebootResponse";
    case "rebootInformed":
      return (
        e.response.message === "InformResponse" &&
        e.request.envelope?.body._tag === "Inform" &&
        e.request.envelope.body.event.some((x) => x.eventCode === "M Reboot")
      );
    case "downloadResponseReceived":
      return e.request.message === "DownloadResponse";
    case "transferCompleteReceived":
      return e.request.message === "TransferComplete";
    case "changeDUStateResponseReceived":
      return e.request.message === "ChangeDUStateResponse";
    case "duStateChangeCompleteReceived":
      return e.request.message === "DUStateChangeComplete";
    case "sessionCompleted":
      return e.response.status === 204;
    case "delay":
      return false;
  }
};
