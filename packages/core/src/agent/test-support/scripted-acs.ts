/**
 * Test support: an in-memory ACS transport that records what every session opened with and
 * every Inform carried, answers the session's CPE requests, and sends one scripted list of
 * ACS requests per session (in order) after the empty POST. Plus a fake `ConnectionRequests`
 * with a chosen URL whose triggers a test pushes.
 * @module
 */
import { Effect, Either, Layer, Queue, Stream } from "effect";
import type { EventStruct } from "../../cwmp/structs.js";
import type { ParameterValueStruct } from "../../cwmp/value.js";
import { type AcsEndpoint, AcsTransport } from "../../ports/acs-transport.js";
import {
  ConnectionRequests,
  type ConnectionRequestsService,
  type ConnectionRequestTrigger,
} from "../../ports/connection-requests.js";
import { decodeEnvelope } from "../../soap/decode-envelope.js";
import { encodeEnvelope } from "../../soap/encode-envelope.js";
import type { CwmpMessage } from "../../soap/messages.js";

/** One Inform as the ACS saw it. */
export interface SeenInform {
  /** Event codes, with `|CommandKey` appended when there is one. */
  readonly codes: readonly string[];
  readonly parameters: ReadonlyMap<string, string>;
}

/** What the scripted ACS saw. */
export interface ScriptedAcsLog {
  /** The endpoint of every session opened (URL and credentials). */
  readonly opened: AcsEndpoint[];
  readonly informs: SeenInform[];
  /** Every CPE answer to a scripted request. */
  readonly answers: CwmpMessage[];
}

const codesOf = (events: readonly EventStruct[]) =>
  events.map((e) => (e.commandKey === "" ? e.eventCode : `${e.eventCode}|${e.commandKey}`));

const parametersOf = (list: readonly ParameterValueStruct[]) =>
  new Map(list.map((p) => [p.name, p.value] as const));

/** The ACS's HTTP answer carrying `body`, or the empty 204 when there is none. */
export const acsReply = (body: CwmpMessage | undefined) => ({
  status: body === undefined ? 204 : 200,
  headers: {},
  body: body === undefined ? "" : encodeEnvelope({ header: { id: "acs-1" }, body, version: "1.4" }),
});

/** A scripted ACS: `scripts[n]` are the requests of the n-th session. */
export const scriptedAcs = (
  scripts: readonly (readonly CwmpMessage[])[],
): { readonly log: ScriptedAcsLog; readonly layer: Layer.Layer<AcsTransport> } => {
  const log: ScriptedAcsLog = { opened: [], informs: [], answers: [] };
  const layer = Layer.succeed(AcsTransport, {
    open: (endpoint) =>
      Effect.sync(() => {
        const script = [...(scripts[log.opened.length] ?? [])];
        log.opened.push(endpoint);
        return {
          url: Effect.succeed(endpoint.url),
          post: (body: string | null) =>
            Effect.sync(() => {
              if (body === null) return acsReply(script.shift());
              const message = Either.getOrThrow(decodeEnvelope(body)).envelope.body;
              if (message._tag === "Inform") {
                log.informs.push({
                  codes: codesOf(message.event),
                  parameters: parametersOf(message.parameterList),
                });
                return acsReply({ _tag: "InformResponse", maxEnvelopes: 1 });
              }
              log.answers.push(message);
              return acsReply(script.shift());
            }),
        };
      }),
  });
  return { log, layer };
};

/** A fake Connection Request server: its URL and a way to fire a trigger. */
export interface FakeConnectionRequests {
  readonly layer: Layer.Layer<ConnectionRequests>;
  readonly fire: Effect.Effect<void>;
}

/** A `ConnectionRequests` service publishing `url`; `fire` raises one trigger. */
export const fakeConnectionRequests = (url: string): Effect.Effect<FakeConnectionRequests> =>
  Effect.map(Queue.unbounded<ConnectionRequestTrigger>(), (queue) => {
    const service: ConnectionRequestsService = {
      triggers: Stream.fromQueue(queue),
      url,
      setSessionActive: () => Effect.void,
    };
    return {
      layer: Layer.succeed(ConnectionRequests, service),
      fire: Queue.offer(queue, { receivedAt: 0 }),
    };
  });
