/**
 * Scenarios of H8, HTTP compression: a CPE compresses its requests only for an ACS that takes
 * compressed ones, and what it sends then decodes to valid CWMP envelopes; it reads an ACS's
 * gzip answers. Compression is optional: a CPE that never compresses skips the first scenario,
 * but one that compresses for an ACS that never said it takes gzip fails the second.
 * @module
 */
import type { CwmpMessage } from "@cpekit/core";
import { Effect } from "effect";
import type { TranscriptEntry } from "../../transcript.js";
import type { Scenario, ScenarioContext } from "../scenario.js";
import { check, describeMessage, fail, skip } from "../scenario-checks.js";
import { drive, exchangesOf, settled } from "../session-driver.js";
import { deviceInfo as di } from "./parameter-paths.js";

const header = (e: TranscriptEntry, name: string): string | undefined => {
  const v = e.request.headers[name];
  return Array.isArray(v) ? v[0] : (v as string | undefined);
};

/** The coding of a request body (`identity` when none is named). */
const codingOf = (e: TranscriptEntry): string =>
  (header(e, "content-encoding") ?? "identity").toLowerCase();

/** The CWMP requests with a body in the transcript of the scenario's own ACS so far. */
const requestsWithBody = (ctx: ScenarioContext): TranscriptEntry[] =>
  ctx.acs.transcript.entries().filter((e) => e.kind === "cwmp" && e.request.body !== "");

/** A GetParameterValues whose answer the CPE must read from a gzip answer and send back. */
const gpv = (ctx: ScenarioContext): CwmpMessage => ({
  _tag: "GetParameterValues",
  parameterNames: [di(ctx, "SerialNumber"), di(ctx, "Manufacturer")],
});

/** The scenarios of this file. */
export const httpCompressionScenarios: readonly Scenario[] = [
  {
    ids: ["H8"],
    title:
      "ACS advertising gzip (Accept-Encoding: gzip, gzip answers): the CPE reads its gzip answers and sends gzip requests that decode to valid envelopes",
    acs: { advertiseGzip: true },
    timeoutMs: 15_000,
    run: (ctx) =>
      Effect.gen(function* () {
        yield* settled(ctx);
        const driven = yield* drive(ctx, [gpv(ctx)]);
        const a = driven.answers[0];
        yield* check(
          a?._tag === "GetParameterValuesResponse" && a.parameterList.length === 2,
          `GetParameterValues (sent gzip) answered ${a ? describeMessage(a) : "nothing"}`,
        );
        const session = yield* exchangesOf(ctx, driven.session);
        const sent = requestsWithBody(ctx);
        const gzipped = sent.filter((e) => codingOf(e) === "gzip");
        if (gzipped.length === 0)
          return yield* skip("the CPE sends no gzip requests (HTTP compression is optional)");
        const undecoded = sent.find((e) => e.request.message === undefined);
        if (undecoded !== undefined)
          yield* fail(
            `request ${undecoded.seq} (${codingOf(undecoded)}) is no CWMP envelope: the ACS answered ${undecoded.response.status}`,
          );
        const plainInSession = session.filter(
          (e) => e.request.body !== "" && codingOf(e) !== "gzip",
        );
        yield* check(
          plainInSession.length === 0,
          `after gzip was advertised the session still sent ${plainInSession.map((e) => e.request.message).join(", ")} uncompressed`,
        );
        const gpvResponse = session.find((e) => e.request.message === "GetParameterValuesResponse");
        yield* check(
          gpvResponse !== undefined && codingOf(gpvResponse) === "gzip",
          "the GetParameterValuesResponse was not sent gzip",
        );
      }),
  },
  {
    ids: ["H8"],
    title:
      "ACS that never advertises compression: every CPE request is sent uncompressed (no Content-Encoding)",
    timeoutMs: 15_000,
    run: (ctx) =>
      Effect.gen(function* () {
        yield* settled(ctx);
        const driven = yield* drive(ctx, [gpv(ctx)]);
        // Waits until the transcript holds every exchange of that session.
        yield* exchangesOf(ctx, driven.session);
        const sent = requestsWithBody(ctx);
        yield* check(sent.length >= 3, `only ${sent.length} requests with a body were recorded`);
        const compressed = sent.filter((e) => codingOf(e) !== "identity");
        yield* check(
          compressed.length === 0,
          `${compressed[0]?.request.message ?? "a request"} was sent with Content-Encoding ${compressed[0] ? codingOf(compressed[0]) : ""} to an ACS that never took it`,
        );
      }),
  },
];
