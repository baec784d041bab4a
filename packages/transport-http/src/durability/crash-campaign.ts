/**
 * One device's crash campaign: its agent child runs against the test ACS; for each planned
 * trial the ACS is asked to send the trial's RPCs, the child is SIGKILLed at the trial's point
 * and started again over the same store. A Reboot the ACS asked for ends the child by itself;
 * it is started again too (the device's power cycle). After every kill the store file is read:
 * it must be absent (never saved yet) or valid JSON, and nothing may have been moved aside as
 * corrupt. At the end the device runs undisturbed until everything it owes is acknowledged.
 * @module
 */
import { readdir, readFile } from "node:fs/promises";
import { dirname } from "node:path";
import type { TestAcsHandle } from "@cpekit/acs-testkit";
import type { CwmpMessage } from "@cpekit/core";
import { Effect } from "effect";
import { REBOOT_EXIT_CODE } from "./agent-child-config.js";
import type { AgentProcess, ChildEntry, ChildExit } from "./agent-process.js";
import { startAgentProcess } from "./agent-process.js";
import { checkDeliveries, exchangesOf, type RunEnd } from "./delivery-ledger.js";
import { isStep, type KillStep, type TrialPlan } from "./kill-plan.js";

/** One device's campaign. */
export interface CampaignOptions {
  readonly acs: TestAcsHandle;
  readonly child: ChildEntry;
  readonly storePath: string;
  readonly serialNumber: string;
  /** The ACS's key of the device (`OUI-ProductClass-Serial`). */
  readonly deviceKey: string;
  /** The trials, in order; the campaign stops taking them once `kills` kills are done. */
  readonly plans: readonly TrialPlan[];
  /** How many SIGKILLs the campaign does (a trial whose device rebooted first kills nothing). */
  readonly kills: number;
  /** Longest wait for a trial's kill point; the kill happens then anyway. */
  readonly stepTimeoutMs: number;
  /** Longest wait, after the trials, for every owed item to be acknowledged. */
  readonly settleTimeoutMs: number;
  /** Ends the campaign early (a test that timed out): no child is started after it. */
  readonly signal?: AbortSignal;
  /** Each run makes one CPE request through the agent's API (see `AgentChildConfig`). */
  readonly cpeRequests?: boolean;
}

/** What happened in a campaign (the deliveries are checked from the transcript afterwards). */
export interface CampaignResult {
  readonly runEnds: ReadonlyMap<number, RunEnd>;
  readonly kills: number;
  readonly reboots: number;
  /** Kills by the step that triggered them (`timeout` when the step never came). */
  readonly killsByStep: Readonly<Record<string, number>>;
  readonly storeChecks: number;
  /** The CPE requests the runs reported queued (delivery-ledger items): owed to the ACS. */
  readonly cpeRequestsQueued: readonly string[];
  /** Corrupt store files and unexpected exits: each one fails the test. */
  readonly problems: readonly string[];
}

/** Longest wait for an agent child to start before its trial goes on regardless. */
const STARTUP_TIMEOUT_MS = 20_000;

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Waits until the transcript holds `count` occurrences of `step` after `fromSeq`. */
const waitForStep = async (
  options: CampaignOptions,
  step: KillStep,
  count: number,
  fromSeq: number,
  until: () => boolean,
): Promise<boolean> => {
  const filePrefix = `/fw/${options.serialNumber}/`;
  let scanned = fromSeq;
  let seen = 0;
  while (!until()) {
    const entries = options.acs.transcript.entries();
    for (const e of entries.slice(scanned)) {
      if (isStep(step, e, options.deviceKey, filePrefix)) seen++;
      if (seen >= count) return true;
    }
    scanned = entries.length;
    await sleep(2);
  }
  return false;
};

const checkStore = async (storePath: string): Promise<readonly string[]> => {
  const problems: string[] = [];
  const text = await readFile(storePath, "utf8").catch((e: NodeJS.ErrnoException) =>
    e.code === "ENOENT" ? undefined : `unreadable: ${e.message}`,
  );
  if (text !== undefined) {
    try {
      const doc: unknown = JSON.parse(text);
      if (typeof doc !== "object" || doc === null || Array.isArray(doc))
        problems.push(`${storePath}: not a JSON object`);
    } catch (e) {
      problems.push(`${storePath}: not JSON after a kill: ${(e as Error).message}`);
    }
  }
  // No directory yet: the device was killed before its first save.
  const files = await readdir(dirname(storePath)).catch(() => [] as string[]);
  const aside = files.filter((f) => f.includes(".corrupt-"));
  if (aside.length > 0) problems.push(`store moved aside as corrupt: ${aside.join(", ")}`);
  return problems;
};

/** The firmware Download a trial orders (no credentials, no delay): shared with the fleet's campaign. */
export const download = (commandKey: string, url: string): CwmpMessage => ({
  _tag: "Download",
  commandKey,
  fileType: "1 Firmware Upgrade Image",
  url,
  username: "",
  password: "",
  fileSize: 0,
  targetFileName: "",
  delaySeconds: 0,
  successUrl: "",
  failureUrl: "",
});

/** Runs one device's campaign (see the module comment). */
export const runCrashCampaign = async (options: CampaignOptions): Promise<CampaignResult> => {
  const { acs, deviceKey, serialNumber } = options;
  const deviceId = deviceKey;
  const runEnds = new Map<number, RunEnd>();
  const problems: string[] = [];
  const killsByStep: Record<string, number> = {};
  let kills = 0;
  let reboots = 0;
  let storeChecks = 0;
  let run = 0;
  let current: AgentProcess | undefined;
  let killing = false;
  let commands = 0;
  const cpeRequestsQueued: string[] = [];

  const start = () => {
    if (options.signal?.aborted === true) return;
    run++;
    const proc = startAgentProcess(options.child, {
      storePath: options.storePath,
      acsUrl: acs.url,
      serialNumber,
      run,
      periodicInformSeconds: 1,
      applyDelayMs: 40,
      ...(options.cpeRequests === true ? { cpeRequests: true } : {}),
    });
    proc.onReport((r) => {
      if (r.type === "cpeRequestQueued") cpeRequestsQueued.push(r.item);
    });
    current = proc;
    void proc.exited.then((exit: ChildExit) => {
      if (killing || current !== proc) return;
      // Exited by itself: a reboot the ACS asked for (start again), or a failure.
      if (exit.code === REBOOT_EXIT_CODE) {
        runEnds.set(proc.run, "rebooted");
        reboots++;
        start();
      } else {
        runEnds.set(proc.run, "stopped");
        problems.push(`run ${proc.run} exited with ${exit.code ?? exit.signal}: ${exit.stderr}`);
      }
    });
  };

  const crash = async (why: string) => {
    const proc = current;
    if (proc === undefined) return;
    killing = true;
    const exit = await proc.kill();
    killing = false;
    runEnds.set(
      proc.run,
      exit.signal === "SIGKILL"
        ? "killed"
        : exit.code === REBOOT_EXIT_CODE
          ? "rebooted"
          : "stopped",
    );
    if (exit.signal === "SIGKILL") {
      kills++;
      killsByStep[why] = (killsByStep[why] ?? 0) + 1;
    }
    storeChecks++;
    problems.push(...(await checkStore(options.storePath)));
  };

  /** Queues the trial's RPCs; aborting `signal` withdraws those not sent yet. */
  const ask = async (plan: TrialPlan, signal: AbortSignal) => {
    const calls: CwmpMessage[] = [];
    if (plan.action === "download" || plan.action === "downloadThenReboot") {
      const key = `dl-${serialNumber}-${++commands}`;
      const url = await acs.serveFile(
        `/fw/${serialNumber}/${key}.bin`,
        new TextEncoder().encode(`firmware ${key}`),
      );
      calls.push(download(key, url));
    }
    if (plan.action === "changeDUState") {
      const key = `du-${serialNumber}-${++commands}`;
      const url = await acs.serveFile(
        `/fw/${serialNumber}/${key}.json`,
        new TextEncoder().encode(`{"cpekitDeploymentUnit":1,"name":"${key}","version":"1"}`),
      );
      calls.push({
        _tag: "ChangeDUState",
        operations: [{ _tag: "InstallOpStruct", url }],
        commandKey: key,
      });
    }
    if (
      plan.action === "reboot" ||
      plan.action === "downloadThenReboot" ||
      plan.action === "malformedAnswer"
    )
      calls.push({ _tag: "Reboot", commandKey: `rb-${serialNumber}-${++commands}` });
    // Issue 9: the next Inform's answer is an InformResponse followed by markup; the session
    // fails, and the Inform's events (BOOT, M Reboot, ...) must come again, none lost.
    if (plan.action === "malformedAnswer")
      acs.inject({ kind: "trailingMarkup" }, { deviceId, message: "Inform" });
    // The transcript is the record; an unanswered call (the device was killed) is no error.
    for (const c of calls)
      void Effect.runPromise(acs.api.call(deviceKey, c), { signal }).catch(() => undefined);
  };

  start();
  try {
    for (const plan of options.plans) {
      if (kills >= options.kills || options.signal?.aborted === true) break;
      // The trial's clock starts once the agent runs (its boot save done): process start-up
      // time varies with the machine's load, the kill points should not.
      await Promise.race([current?.started, sleep(STARTUP_TIMEOUT_MS)]);
      const fromSeq = acs.transcript.entries().length;
      // A trial's calls end with it, so that no session carries two trials' Reboots.
      const trial = new AbortController();
      await ask(plan, trial.signal);
      let reached = true;
      if (plan.step === "delay") await sleep(plan.delayMs);
      else {
        const deadline = Date.now() + options.stepTimeoutMs;
        reached = await waitForStep(
          options,
          plan.step,
          plan.occurrence,
          fromSeq,
          () => Date.now() > deadline,
        );
        await sleep(plan.jitterMs);
      }
      await crash(reached ? plan.step : `timeout(${plan.step})`);
      trial.abort();
      start();
    }

    // Undisturbed until nothing owed is missing and the last run has completed two sessions: the
    // first carries whatever the kills left unacknowledged, the second shows its outcome saved.
    const settleDeadline = Date.now() + options.settleTimeoutMs;
    while (Date.now() < settleDeadline && options.signal?.aborted !== true) {
      const exchanges = exchangesOf(acs.transcript.entries(), deviceKey);
      const completed = new Set(
        exchanges.filter((x) => x.run === run && x.status === 204).map((x) => x.sessionId),
      );
      if (
        completed.size >= 2 &&
        checkDeliveries(exchanges, runEnds, cpeRequestsQueued).lost.length === 0
      )
        break;
      await sleep(100);
    }
  } finally {
    // Whatever happened, no child outlives the campaign.
    const last = current as AgentProcess | undefined;
    if (last !== undefined) {
      killing = true;
      await last.kill();
      runEnds.set(last.run, "stopped");
    }
  }
  return { runEnds, kills, reboots, killsByStep, storeChecks, cpeRequestsQueued, problems };
};
