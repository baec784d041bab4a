/**
 * The session over mutated ACS messages (issue 9): from every valid ACS message of the codec's
 * samples (the InformResponse and each ACS -> CPE request), fast-check derives malformed
 * variants (deleted or duplicated tags, broken attributes, removed arguments, wrong types, stray
 * text) and runs a whole session through the real SOAP codec, the built-in RPC registry and a
 * data model that records every write.
 */
import { fc, test } from "@fast-check/vitest";
import { Effect, Either, Layer } from "effect";
import { describe, expect, it } from "vitest";
import type { CwmpFault } from "../cwmp/fault.js";
import { type AcsResponse, AcsTransport } from "../ports/acs-transport.js";
import { makeBuiltInRpcRegistry } from "../rpc/built-in-handlers.js";
import type { RpcDataModel } from "../rpc/rpc-data-model.js";
import { decodeEnvelope } from "../soap/decode-envelope.js";
import { encodeEnvelope } from "../soap/encode-envelope.js";
import { cpeMethodRequests } from "../soap/invalid-request.js";
import type { CwmpMessage, Envelope } from "../soap/messages.js";
import { samples } from "../soap/test-support/samples.js";
import { runSession } from "./run-session.js";
import type { SessionOutput } from "./session-io.js";
import { fakeDataModel, sessionInput } from "./test-support/session-fixtures.js";

const INFORM_EVENTS = [
  { eventCode: "0 BOOTSTRAP", commandKey: "" },
  { eventCode: "1 BOOT", commandKey: "" },
];
const REQUEST_ID = "acs-req-1";

/** The ACS messages mutated: the InformResponse, then every request a CPE answers. */
const acsMessages: readonly CwmpMessage[] = [
  samples.InformResponse,
  ...[...cpeMethodRequests].map((tag) => samples[tag as keyof typeof samples] as CwmpMessage),
];

const encoded = (body: CwmpMessage, id: string): string =>
  encodeEnvelope({ header: { id }, body, version: "1.2" });

type Kind =
  | "deleteStartTag"
  | "deleteEndTag"
  | "duplicateTag"
  | "breakAttribute"
  | "strayMarkup"
  | "removeElement"
  | "wrongType"
  | "strayText";

/** Mutations after which the text is not well-formed XML, whatever tag they hit. */
const breaksXml: ReadonlySet<Kind> = new Set([
  "deleteEndTag",
  "duplicateTag",
  "breakAttribute",
  "strayMarkup",
]);

interface Mutation {
  readonly kind: Kind;
  readonly pick: number;
  readonly text: string;
}

interface Tag {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

/** The tags inside the message element (the header and the envelope are left alone). */
const tagsOfMessage = (xml: string): Tag[] => {
  const from = xml.indexOf("<soap-env:Body>") + "<soap-env:Body>".length;
  const to = xml.indexOf("</soap-env:Body>");
  const out: Tag[] = [];
  for (const m of xml.slice(from, to).matchAll(/<[^>]+>/g))
    out.push({ start: from + m.index, end: from + m.index + m[0].length, text: m[0] });
  return out;
};

const splice = (xml: string, start: number, end: number, text: string) =>
  xml.slice(0, start) + text + xml.slice(end);

/** Leaf elements `<X>text</X>` (and `<X/>`) inside the message element. */
const leavesOf = (tags: readonly Tag[]) => {
  const out: { start: number; end: number; textStart: number; textEnd: number; name: string }[] =
    [];
  tags.forEach((t, i) => {
    if (t.text.endsWith("/>")) {
      const name = /^<([^\s/>]+)/.exec(t.text)?.[1] ?? "";
      out.push({ start: t.start, end: t.end, textStart: t.end - 2, textEnd: t.end - 2, name });
      return;
    }
    const next = tags[i + 1];
    const name = /^<([^\s/>]+)/.exec(t.text)?.[1];
    if (name !== undefined && !t.text.startsWith("</") && next?.text === `</${name}>`)
      out.push({ start: t.start, end: next.end, textStart: t.end, textEnd: next.start, name });
  });
  return out;
};

/** Applies `m` to `xml`; `undefined` when the message has nothing it applies to. */
const mutate = (xml: string, m: Mutation): { xml: string; removed?: string } | undefined => {
  const tags = tagsOfMessage(xml);
  const at = <T>(items: readonly T[]): T | undefined => items[m.pick % Math.max(items.length, 1)];
  const starts = tags.filter((t) => !t.text.startsWith("</") && !t.text.endsWith("/>"));
  switch (m.kind) {
    case "deleteStartTag": {
      const t = at(starts);
      return t && { xml: splice(xml, t.start, t.end, "") };
    }
    case "deleteEndTag": {
      const t = at(tags.filter((x) => x.text.startsWith("</")));
      return t && { xml: splice(xml, t.start, t.end, "") };
    }
    case "duplicateTag": {
      const t = at(tags.filter((x) => !x.text.endsWith("/>")));
      return t && { xml: splice(xml, t.start, t.start, t.text) };
    }
    case "breakAttribute": {
      const t = at(starts);
      if (t === undefined) return undefined;
      const name = t.text.slice(0, t.text.search(/[\s>]/));
      const broken = [" a=1", ' a="1" a="2"', ' a="<"', ' undeclared:a="1"'][m.pick % 4];
      return { xml: splice(xml, t.start, t.end, `${name}${broken}${t.text.slice(name.length)}`) };
    }
    case "strayMarkup": {
      const t = at(tags);
      return t && { xml: splice(xml, t.end, t.end, m.text.includes("&") ? "&bogus;" : "<") };
    }
    case "removeElement": {
      const leaf = at(leavesOf(tags));
      return leaf && { xml: splice(xml, leaf.start, leaf.end, ""), removed: leaf.name };
    }
    case "wrongType": {
      const leaf = at(leavesOf(tags));
      return leaf && { xml: splice(xml, leaf.textStart, leaf.textEnd, m.text) };
    }
    case "strayText": {
      const t = at(tags);
      return t && { xml: splice(xml, t.end, t.end, "stray") };
    }
  }
};

const mutation = fc.record({
  kind: fc.constantFrom<Kind>(
    "deleteStartTag",
    "deleteEndTag",
    "duplicateTag",
    "breakAttribute",
    "strayMarkup",
    "removeElement",
    "wrongType",
    "strayText",
  ),
  pick: fc.nat({ max: 200 }),
  text: fc.constantFrom("maybe", "-1", "", "4294967296", "x&amp;y", "1.5"),
});

/** A data model that answers like the shared fake and records every write it is asked for. */
const recordingDataModel = () => {
  const writes: string[] = [];
  const record =
    <A>(name: string, result: Effect.Effect<A, CwmpFault>) =>
    (...args: unknown[]) =>
      Effect.suspend(() => {
        writes.push(`${name} ${JSON.stringify(args)}`);
        return result;
      });
  const dataModel: RpcDataModel = {
    ...fakeDataModel,
    setParameterValues: record("setParameterValues", Effect.succeed(0 as const)),
    setParameterAttributes: record("setParameterAttributes", Effect.void),
    addObject: record("addObject", Effect.succeed({ instanceNumber: 1, status: 0 as const })),
    deleteObject: record("deleteObject", Effect.succeed(0 as const)),
  };
  return { dataModel, writes };
};

interface Run {
  readonly output: SessionOutput;
  /** What the CPE posted, decoded (`null`: the empty POST). */
  readonly posted: readonly (Envelope | null)[];
  readonly writes: readonly string[];
}

/**
 * One session: the ACS answers the Inform with `informResponse`, the empty POST with `request`
 * (if any), and anything after that with 204.
 */
const runWith = (informResponse: string, request?: string): Promise<Run> => {
  const posted: (Envelope | null)[] = [];
  const { dataModel, writes } = recordingDataModel();
  const bodies = [informResponse, ...(request === undefined ? [] : [request])];
  const transport = Layer.succeed(AcsTransport, {
    open: () =>
      Effect.succeed({
        url: Effect.succeed("http://127.0.0.1:7547/acs"),
        post: (body: string | null) =>
          Effect.sync((): AcsResponse => {
            posted.push(body === null ? null : Either.getOrThrow(decodeEnvelope(body)).envelope);
            const answer = bodies[posted.length - 1];
            return answer === undefined
              ? { status: 204, headers: {}, body: "" }
              : { status: 200, headers: {}, body: answer };
          }),
      }),
  });
  return Effect.runPromise(
    Effect.provide(
      runSession({
        endpoint: { url: "http://127.0.0.1:7547/acs" },
        registry: makeBuiltInRpcRegistry(),
        dataModel,
        input: sessionInput({
          cpeRequests: [],
          inform: { ...sessionInput().inform, event: INFORM_EVENTS },
        }),
      }),
      transport,
    ),
  ).then((output) => ({ output, posted, writes }));
};

const validInformResponse = encoded(samples.InformResponse, "1");

/** The CPE's answer to the ACS request: what it posted after the empty POST, if anything. */
const answerOf = (run: Run): Envelope | null | undefined => {
  const empty = run.posted.indexOf(null);
  return empty < 0 ? undefined : run.posted[empty + 1];
};

describe("session over mutated ACS messages (issue 9: V4, §1.14-9003, H1, H10)", () => {
  test.prop([fc.constantFrom(...acsMessages), mutation], { numRuns: 150 })(
    "V4 §1.14-9003 H10: a mutated ACS message is answered with a fault under its own cwmp:ID or fails the session with the Inform's events still queued, and the data model is written only for a request answered without fault",
    async (message, m) => {
      const isInformResponse = message._tag === "InformResponse";
      const valid = encoded(message, isInformResponse ? "1" : REQUEST_ID);
      const mutated = mutate(valid, m);
      fc.pre(mutated !== undefined && mutated.xml !== valid);
      const run = isInformResponse
        ? await runWith(mutated.xml)
        : await runWith(validInformResponse, mutated.xml);
      const { output, writes } = run;

      if (isInformResponse) {
        // H1 H10: an InformResponse that is not taken keeps every event for the retry.
        if (output.outcome === "failed") {
          expect(output.informDelivered).toBe(false);
          expect(output.informedEvents).toEqual([]);
        } else expect(output.informedEvents).toEqual(INFORM_EVENTS);
        if (breaksXml.has(m.kind)) {
          expect(output).toMatchObject({ outcome: "failed", informDelivered: false });
          expect(run.posted).toHaveLength(1); // the Inform only: no empty POST after it
        }
        expect(writes).toEqual([]);
        return;
      }

      // The Inform itself was answered correctly: its events are delivered whatever follows.
      expect(output.informedEvents).toEqual(INFORM_EVENTS);
      const answer = answerOf(run);
      if (breaksXml.has(m.kind)) {
        // Not XML: nothing can be attributed, nothing is answered, nothing is written.
        expect(output).toMatchObject({ outcome: "failed", reason: "BadEnvelope" });
        expect(answer).toBeUndefined();
        expect(writes).toEqual([]);
        return;
      }
      if (answer === undefined || answer === null) {
        // Not attributable to a request: the session fails and nothing is written.
        expect(output.outcome).toBe("failed");
        expect(writes).toEqual([]);
        return;
      }
      // V4: whatever the answer, it carries the request's cwmp:ID.
      expect(answer.header.id).toBe(REQUEST_ID);
      if (answer.body._tag === "Fault") {
        expect(answer.body.detail?.faultCode).toBeGreaterThanOrEqual(9000);
        expect(writes).toEqual([]);
      }
      // Nothing the ACS did not send is written: a SetParameterValues without a Value or a
      // Name never succeeds.
      if (
        message._tag === "SetParameterValues" &&
        (mutated.removed === "Value" || mutated.removed === "Name")
      )
        expect(answer.body).toMatchObject({ _tag: "Fault", detail: { faultCode: 9003 } });
      // The session goes on after a fault: the ACS's empty answer ends it normally.
      expect(output.outcome).toBe("done");
    },
  );

  it("the mutations produce each kind of outcome (the property is not vacuous)", async () => {
    const gpv = encoded(samples.GetParameterValues, REQUEST_ID);
    const notXml = mutate(gpv, { kind: "deleteEndTag", pick: 0, text: "" });
    const gpn = encoded(samples.GetParameterNames, REQUEST_ID);
    const removed = mutate(gpn, { kind: "removeElement", pick: 0, text: "" });
    expect(removed?.removed).toBe("ParameterPath");
    expect((await runWith(validInformResponse, notXml?.xml)).output.reason).toBe("BadEnvelope");
    const faulted = answerOf(await runWith(validInformResponse, removed?.xml));
    expect(faulted?.body).toMatchObject({ _tag: "Fault", detail: { faultCode: 9003 } });
  });
});

const OPEN =
  '<soap-env:Envelope xmlns:soap-env="http://schemas.xmlsoap.org/soap/envelope/" xmlns:cwmp="urn:dslforum-org:cwmp-1-2">';
const header = (id: string) =>
  `<soap-env:Header><cwmp:ID soap-env:mustUnderstand="1">${id}</cwmp:ID></soap-env:Header>`;
/** An ACS envelope with `body` as the message, written by hand (the encoder cannot break it). */
const raw = (body: string, id = REQUEST_ID, after = "") =>
  `${OPEN}${header(id)}<soap-env:Body>${body}</soap-env:Body></soap-env:Envelope>${after}`;
const INFORM_RESPONSE = "<cwmp:InformResponse><MaxEnvelopes>1</MaxEnvelopes></cwmp:InformResponse>";

describe("issue 9 defects, one test each", () => {
  it("H1 H10 V4: an InformResponse followed by <x a=1>&bogus</y> fails the session; BOOTSTRAP and BOOT stay queued", async () => {
    const run = await runWith(raw(INFORM_RESPONSE, "1", "<x a=1>&bogus</y>"));
    expect(run.output).toMatchObject({
      outcome: "failed",
      reason: "BadEnvelope",
      informDelivered: false,
      informedEvents: [],
    });
    expect(run.posted).toHaveLength(1);
    // The same InformResponse, well-formed, is taken: the failure is the trailing garbage alone.
    const good = await runWith(raw(INFORM_RESPONSE, "1"));
    expect(good.output).toMatchObject({ outcome: "done", informedEvents: INFORM_EVENTS });
  });

  it.each([
    [
      "a mismatched end tag",
      "<cwmp:InformResponse><MaxEnvelopes>1</MaxEnvelope></cwmp:InformResponse>",
    ],
    ["an unclosed element", "<cwmp:InformResponse><MaxEnvelopes>1</MaxEnvelopes>"],
    ["a stray end tag", `${INFORM_RESPONSE}</MaxEnvelopes>`],
    [
      "an unquoted attribute",
      "<cwmp:InformResponse a=1><MaxEnvelopes>1</MaxEnvelopes></cwmp:InformResponse>",
    ],
    [
      "a duplicate attribute",
      '<cwmp:InformResponse a="1" a="2"><MaxEnvelopes>1</MaxEnvelopes></cwmp:InformResponse>',
    ],
    ["an undeclared prefix", "<x:InformResponse><MaxEnvelopes>1</MaxEnvelopes></x:InformResponse>"],
    [
      "< in an attribute value",
      '<cwmp:InformResponse a="<"><MaxEnvelopes>1</MaxEnvelopes></cwmp:InformResponse>',
    ],
    [
      "an undefined entity",
      "<cwmp:InformResponse><MaxEnvelopes>&bogus;1</MaxEnvelopes></cwmp:InformResponse>",
    ],
  ])(
    "H1 H10: an InformResponse with %s fails the session with every event still queued",
    async (_, body) => {
      const run = await runWith(raw(body, "1"));
      expect(run.output).toMatchObject({
        outcome: "failed",
        reason: "BadEnvelope",
        informDelivered: false,
        informedEvents: [],
      });
    },
  );

  it.each([
    [
      "GetParameterValues without ParameterNames",
      "<cwmp:GetParameterValues></cwmp:GetParameterValues>",
    ],
    [
      "GetParameterNames with NextLevel maybe",
      "<cwmp:GetParameterNames><ParameterPath>Device.</ParameterPath><NextLevel>maybe</NextLevel></cwmp:GetParameterNames>",
    ],
    [
      "Download without URL",
      "<cwmp:Download><CommandKey>k</CommandKey><FileType>1 Firmware Upgrade Image</FileType><Username></Username><Password></Password><FileSize>0</FileSize><TargetFileName></TargetFileName><DelaySeconds>0</DelaySeconds><SuccessURL></SuccessURL><FailureURL></FailureURL></cwmp:Download>",
    ],
    [
      "AddObject without ObjectName",
      "<cwmp:AddObject><ParameterKey>k</ParameterKey></cwmp:AddObject>",
    ],
  ])(
    "§1.14-9003 V4: %s is answered with fault 9003 under the request's cwmp:ID and the session goes on",
    async (_, body) => {
      const run = await runWith(validInformResponse, raw(body));
      const answer = answerOf(run);
      expect(answer?.header.id).toBe(REQUEST_ID);
      expect(answer?.body).toMatchObject({
        _tag: "Fault",
        faultcode: "Client",
        detail: { faultCode: 9003 },
      });
      expect(run.output).toMatchObject({ outcome: "done", informedEvents: INFORM_EVENTS });
      expect(run.writes).toEqual([]);
    },
  );

  it("§1.14-9003 V4: the same GetParameterNames with NextLevel true is answered normally (the fault is for the bad value alone)", async () => {
    const run = await runWith(
      validInformResponse,
      raw(
        "<cwmp:GetParameterNames><ParameterPath>Device.</ParameterPath><NextLevel>true</NextLevel></cwmp:GetParameterNames>",
      ),
    );
    expect(answerOf(run)?.body._tag).toBe("GetParameterNamesResponse");
  });

  it("§1.14-9003 A.3.2.1: a SetParameterValues struct without Value gets 9003 with a 9007 SetParameterValuesFault for that parameter, and nothing is written", async () => {
    const spv = (second: string) =>
      raw(
        `<cwmp:SetParameterValues><ParameterList><ParameterValueStruct><Name>Device.ManagementServer.PeriodicInformInterval</Name><Value>60</Value></ParameterValueStruct><ParameterValueStruct><Name>Device.DeviceInfo.ProvisioningCode</Name>${second}</ParameterValueStruct></ParameterList><ParameterKey>k</ParameterKey></cwmp:SetParameterValues>`,
      );
    const run = await runWith(validInformResponse, spv(""));
    expect(answerOf(run)).toMatchObject({
      header: { id: REQUEST_ID },
      body: {
        _tag: "Fault",
        detail: {
          faultCode: 9003,
          setParameterValuesFaults: [
            { parameterName: "Device.DeviceInfo.ProvisioningCode", faultCode: 9007 },
          ],
        },
      },
    });
    expect(run.writes).toEqual([]);
    expect(run.output.outcome).toBe("done");
    // With its Value, the same request is applied: the fault is for the missing Value alone.
    const ok = await runWith(validInformResponse, spv("<Value>abc</Value>"));
    expect(answerOf(ok)?.body).toEqual({ _tag: "SetParameterValuesResponse", status: 0 });
    expect(ok.writes).toHaveLength(1);
  });

  it("H1: a request with bad arguments where the InformResponse is due still fails the session, events kept", async () => {
    const run = await runWith(raw("<cwmp:GetParameterValues></cwmp:GetParameterValues>", "1"));
    expect(run.output).toMatchObject({
      outcome: "failed",
      reason: "UnexpectedMessage",
      informDelivered: false,
    });
  });
});

describe("SetParameterValues over removed elements (issue 9)", () => {
  test.prop([fc.nat({ max: 100 })], { numRuns: 30 })(
    "§1.14-9003: a SetParameterValues missing any Name or Value element is never applied",
    async (pick) => {
      const valid = encoded(samples.SetParameterValues, REQUEST_ID);
      const mutated = mutate(valid, { kind: "removeElement", pick, text: "" });
      fc.pre(mutated?.removed === "Name" || mutated?.removed === "Value");
      const run = await runWith(validInformResponse, mutated?.xml);
      expect(answerOf(run)?.body).toMatchObject({ _tag: "Fault", detail: { faultCode: 9003 } });
      expect(run.writes).toEqual([]);
    },
  );
});
