/**
 * The ACS side of CWMP sessions (H1-H6): ties each POST to its session (cookie, or TCP
 * connection where the profile allows), authenticates the CPE, answers the Inform, the CPE's
 * requests and its empty POST, sends the queued calls one per HTTP response and collects their
 * answers, ends with 204, and applies the scripted faults. It decides; `acs-server.ts` writes.
 * @module
 */
import { randomBytes } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";
import type { CwmpMessage, Envelope, Inform } from "@cpekit/core";
import { Deferred, Effect, type Fiber } from "effect";
import { AcsSession, type InformRecord, type SessionRecord } from "./acs-session.js";
import {
  answerCpeRequest,
  cwmpFaultMessage,
  isCpeRequest,
  methodNameOf,
} from "./cpe-request-answer.js";
import { decodeCpeEnvelope } from "./cwmp-codec.js";
import {
  type CwmpOutcome,
  type CwmpReply,
  envelopeReply,
  preemptiveReply,
  textReply,
} from "./cwmp-reply.js";
import { deviceKeyOf } from "./device-key.js";
import { sniffEnvelope } from "./envelope-sniff.js";
import { faultApplies, type InjectedFault, type InjectionBook } from "./fault-injection.js";
import {
  challengeFor,
  type HttpAuthOptions,
  type NonceBook,
  verifyAuthorization,
} from "./http-auth.js";
import type { Inbox } from "./inbox.js";
import type { Negotiation, QuirkProfile } from "./quirk-profile.js";
import type { RpcQueue } from "./rpc-queue.js";
import { SessionRegistry } from "./session-registry.js";
import { TestAcsError } from "./testkit-error.js";

/** A CPE request (or empty POST) received on the CWMP path. */
export interface CwmpRequest {
  readonly connection: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/** A CPE request message as scripts see it (`nextCpeRequest`). */
export interface CpeRequestRecord {
  readonly sessionId: string;
  readonly deviceId: string;
  readonly message: CwmpMessage;
}

/** What the endpoint is built from (one endpoint per ACS). */
export interface EndpointDeps {
  readonly profile: QuirkProfile;
  readonly auth: HttpAuthOptions | undefined;
  readonly nonces: NonceBook;
  /** Overrides the profile's session timeout (tests use short ones). */
  readonly sessionTimeoutMs: number | undefined;
  readonly maxConcurrentSessions: number | undefined;
  readonly queue: RpcQueue;
  readonly book: InjectionBook;
  readonly informs: Inbox<InformRecord>;
  readonly sessions: Inbox<SessionRecord>;
  readonly cpeRequests: Inbox<CpeRequestRecord>;
  /** Runs a background fiber (session timers) in the ACS's scope. */
  readonly fork: (effect: Effect.Effect<void>) => Fiber.RuntimeFiber<void>;
}

const ok = (reply: CwmpReply, facts: Omit<CwmpOutcome, "reply">): CwmpOutcome => ({
  reply,
  ...facts,
});

/** The CWMP endpoint of one ACS. */
export class CwmpEndpoint {
  private readonly registry: SessionRegistry;
  private rpcCounter = 0;

  constructor(private readonly deps: EndpointDeps) {
    this.registry = new SessionRegistry(
      deps.profile,
      deps.sessions,
      deps.sessionTimeoutMs,
      deps.fork,
    );
  }

  /** Number of sessions open now. */
  get openSessions(): number {
    return this.registry.size;
  }

  /** Forgets which session a closed TCP connection carried. */
  connectionClosed(connection: number): void {
    this.registry.connectionClosed(connection);
  }

  /** Ends every open session (the ACS is stopping). */
  stop(): Effect.Effect<void> {
    return this.registry.endAll("stopped");
  }

  /** Decides the answer to one POST on the CWMP path. */
  handle(req: CwmpRequest): Effect.Effect<CwmpOutcome> {
    return Effect.gen(this, function* () {
      const notes: string[] = [];
      const session = this.registry.find(req.headers, req.connection);
      if (req.body.trim() === "") {
        if (session === undefined) {
          notes.push("H1: empty POST outside a session");
          return ok(textReply(400, "Bad session state", []), {
            requestMessage: "empty",
            notes,
            injected: [],
          });
        }
        return yield* this.inSession(session, req, undefined, [], notes);
      }
      const decoded = decodeCpeEnvelope(req.body);
      if (!decoded.ok) {
        notes.push(`undecodable envelope: ${decoded.detail}`);
        return ok(textReply(400, decoded.detail, []), {
          ...(session ? { sessionId: session.id, deviceId: session.deviceId } : {}),
          notes,
          injected: [],
        });
      }
      const { envelope, warnings } = decoded;
      if (envelope.body._tag === "Inform")
        return yield* this.onInform(req, envelope, envelope.body, session, warnings, notes);
      if (session === undefined) {
        notes.push("H1: first message of a session is not an Inform");
        return ok(textReply(400, "Bad session state", []), {
          requestMessage: envelope.body._tag,
          requestEnvelope: envelope,
          warnings,
          notes,
          injected: [],
        });
      }
      return yield* this.inSession(session, req, envelope, warnings, notes);
    });
  }

  private authFails(req: CwmpRequest, notes: string[]): CwmpReply | undefined {
    const { auth, nonces } = this.deps;
    if (auth === undefined) return undefined;
    const verdict = verifyAuthorization(req.headers.authorization, "POST", auth, nonces);
    if (verdict === "ok") return undefined;
    notes.push(`authentication: ${verdict}`);
    return textReply(401, "401 Unauthorized", [], {
      "WWW-Authenticate": challengeFor(auth, nonces),
    });
  }

  private onInform(
    req: CwmpRequest,
    envelope: Envelope,
    inform: Inform,
    previous: AcsSession | undefined,
    warnings: readonly string[],
    notes: string[],
  ): Effect.Effect<CwmpOutcome> {
    return Effect.gen(this, function* () {
      const { profile, book } = this.deps;
      const deviceId = deviceKeyOf(inform.deviceId);
      const facts = {
        deviceId,
        requestMessage: "Inform",
        requestEnvelope: envelope,
        warnings,
        notes,
      };
      if (previous !== undefined && previous.deviceId === deviceId) {
        previous.violations.push("H1: a new Inform before the session ended");
        yield* this.registry.end(previous, "superseded");
      } else if (previous !== undefined) {
        // Another CPE on a connection bound to an open session (a proxy, GA#281): left alone.
        notes.push(`connection shared with the open session of ${previous.deviceId}`);
      }
      const max = this.deps.maxConcurrentSessions;
      if (max !== undefined && this.registry.size >= max) {
        notes.push(`saturated: ${this.registry.size} sessions open`);
        const reply = textReply(503, "503 Service Unavailable", [], {
          "Retry-After": String(profile.retryAfterSeconds),
          Connection: "close",
        });
        return ok(reply, { ...facts, injected: [] });
      }
      const unauthorized = this.authFails(req, notes);
      if (unauthorized) return ok(unauthorized, { ...facts, injected: [] });
      const requestFaults = book.takeForRequest({
        deviceId,
        message: "Inform",
        isCpeRequest: true,
      });
      const early = preemptiveReply(requestFaults);
      if (early) return ok(early, { ...facts, injected: requestFaults });
      const sniff = sniffEnvelope(req.body);
      const negotiation = profile.negotiate({ envelope, sniff });
      if (negotiation === undefined) {
        notes.push(`V2/V7: version not accepted (namespace ${sniff.cwmpNamespace ?? "none"})`);
        return ok(textReply(400, "Unrecognized CWMP version", requestFaults), {
          ...facts,
          injected: requestFaults,
        });
      }
      const sessionFaults = book.takeForSession(deviceId);
      const informFacts = { deviceId, message: "Inform" as const, isCpeRequest: true };
      const informFaults = sessionFaults
        .filter((f) => faultApplies(f, informFacts))
        .map((f) => f.fault);
      const faults = [...requestFaults, ...informFaults];
      const fault = faults.find((f) => f.kind === "cwmpFault");
      if (fault?.kind === "cwmpFault") {
        // A faulted Inform opens no session: the CPE must retry it (H10).
        const reply = this.reply(
          negotiation,
          envelope.header.id,
          cwmpFaultMessage(fault.code, fault.faultString),
          faults,
          undefined,
        );
        return ok(reply, { ...facts, injected: faults });
      }
      const id = randomBytes(8).toString("hex");
      const record: InformRecord = {
        sessionId: id,
        deviceId,
        inform,
        header: envelope.header,
        version: negotiation.version,
        namespaceUri: negotiation.namespaceUri,
        cpeNamespaceUri: sniff.cwmpNamespace,
        receivedAt: new Date().toISOString(),
      };
      const session = new AcsSession(id, deviceId, record, negotiation, sessionFaults, new Date());
      session.touch(req.connection);
      session.authenticatedConnections.add(req.connection);
      this.registry.bind(session, req.connection);
      notes.push(`version ${negotiation.version} (${profile.name})`);
      this.deps.informs.push(record);
      const preempt = preemptiveReply(informFaults);
      const reply =
        preempt ??
        this.reply(
          negotiation,
          envelope.header.id,
          { _tag: "InformResponse", maxEnvelopes: 1 },
          faults,
          session,
          { "Set-Cookie": `${profile.cookieName}=${id}${profile.cookieAttributes}` },
        );
      yield* this.registry.restartTimer(session);
      return ok(reply, { ...facts, sessionId: id, injected: faults });
    });
  }

  private inSession(
    session: AcsSession,
    req: CwmpRequest,
    envelope: Envelope | undefined,
    warnings: readonly string[],
    notes: string[],
  ): Effect.Effect<CwmpOutcome> {
    return Effect.gen(this, function* () {
      const message = envelope?.body;
      const facts = {
        sessionId: session.id,
        deviceId: session.deviceId,
        requestMessage: message?._tag ?? "empty",
        ...(envelope ? { requestEnvelope: envelope } : {}),
        warnings,
        notes,
      };
      session.touch(req.connection);
      this.registry.bind(session, req.connection);
      yield* this.registry.pauseTimer(session);
      // A session resumed on a new TCP connection authenticates again (GenieACS does; A2).
      if (!session.authenticatedConnections.has(req.connection)) {
        const unauthorized = this.authFails(req, notes);
        if (unauthorized) {
          yield* this.registry.restartTimer(session);
          return ok(unauthorized, { ...facts, injected: [] });
        }
        session.authenticatedConnections.add(req.connection);
      }
      const cpeRequest = message !== undefined && isCpeRequest(message);
      const requestFacts = {
        deviceId: session.deviceId,
        message: message?._tag ?? ("empty" as const),
        isCpeRequest: cpeRequest,
      };
      const faults = [
        ...this.deps.book.takeForRequest(requestFacts),
        ...session.faults.filter((f) => faultApplies(f, requestFacts)).map((f) => f.fault),
      ];
      const early = preemptiveReply(faults);
      let reply: CwmpReply;
      if (early) reply = early;
      else if (message === undefined) reply = yield* this.onEmptyPost(session, faults);
      else if (cpeRequest) reply = this.onCpeRequest(session, envelope as Envelope, faults, notes);
      else reply = yield* this.onCpeResponse(session, envelope as Envelope, faults);
      if (this.registry.isOpen(session)) yield* this.registry.restartTimer(session);
      return ok(reply, { ...facts, injected: faults });
    });
  }

  private onEmptyPost(
    session: AcsSession,
    faults: readonly InjectedFault[],
  ): Effect.Effect<CwmpReply> {
    return Effect.gen(this, function* () {
      if (session.stage === "cpeRequests") session.stage = "acsRequests";
      else if (session.outstanding) {
        session.violations.push(
          `H2: empty POST while ${session.outstanding.call.request._tag} was unanswered`,
        );
        yield* Deferred.fail(
          session.outstanding.call.result,
          new TestAcsError({
            reason: "SessionEnded",
            detail: "the CPE sent an empty POST instead of an answer",
          }),
        );
        session.outstanding = undefined;
      }
      return yield* this.nextAcsStep(session, faults);
    });
  }

  private onCpeRequest(
    session: AcsSession,
    envelope: Envelope,
    faults: readonly InjectedFault[],
    notes: string[],
  ): CwmpReply {
    const request = envelope.body;
    session.cpeRequests.push(request);
    this.deps.cpeRequests.push({
      sessionId: session.id,
      deviceId: session.deviceId,
      message: request,
    });
    if (session.holdRequests)
      session.violations.push(`V5: ${request._tag} sent while HoldRequests=true`);
    if (session.stage === "acsRequests")
      notes.push(`H2: ${request._tag} after the CPE's empty POST`);
    const fault = faults.find((f) => f.kind === "cwmpFault");
    const answer =
      fault?.kind === "cwmpFault"
        ? cwmpFaultMessage(fault.code, fault.faultString)
        : answerCpeRequest(request, this.deps.profile);
    return this.reply(session.negotiation, envelope.header.id, answer, faults, session);
  }

  private onCpeResponse(
    session: AcsSession,
    envelope: Envelope,
    faults: readonly InjectedFault[],
  ): Effect.Effect<CwmpReply> {
    return Effect.gen(this, function* () {
      const out = session.outstanding;
      const message = envelope.body;
      if (out === undefined) {
        session.violations.push(`H2: ${message._tag} without an outstanding ACS request`);
        return textReply(400, "Bad session state", faults);
      }
      if (envelope.header.id !== out.id)
        session.violations.push(
          `V4: cwmp:ID ${JSON.stringify(envelope.header.id)} does not echo ${out.id}`,
        );
      const expected = `${methodNameOf(out.call.request)}Response`;
      if (methodNameOf(message) !== expected && message._tag !== "Fault")
        session.violations.push(
          `${methodNameOf(message)} answers ${methodNameOf(out.call.request)}`,
        );
      session.acsRequests[out.index] = { id: out.id, request: out.call.request, response: message };
      session.outstanding = undefined;
      yield* Deferred.succeed(out.call.result, message);
      return yield* this.nextAcsStep(session, faults);
    });
  }

  /** Sends the next queued call, or ends the session with 204 (or holds it, `neverEnd`). */
  private nextAcsStep(
    session: AcsSession,
    faults: readonly InjectedFault[],
  ): Effect.Effect<CwmpReply> {
    return Effect.gen(this, function* () {
      const { queue, profile } = this.deps;
      for (;;) {
        const call = queue.takeFor(session.deviceId);
        if (call) {
          const id = `acs-${++this.rpcCounter}`;
          const request =
            call.request._tag === "SetParameterValues"
              ? {
                  ...call.request,
                  parameterList: call.request.parameterList.map(profile.writeValue),
                }
              : call.request;
          session.outstanding = { id, call, index: session.acsRequests.length };
          session.acsRequests.push({ id, request });
          return this.reply(session.negotiation, id, request, faults, session);
        }
        if (!faults.some((f) => f.kind === "neverEnd")) break;
        yield* this.deps.queue.awaitCallFor(session.deviceId);
      }
      yield* this.registry.end(session, "completed");
      return textReply(
        204,
        "",
        faults,
        profile.closeConnectionAtEnd ? { Connection: "close" } : {},
      );
    });
  }

  /** An envelope reply; notes on the session whether it put HoldRequests (V5). */
  private reply(
    negotiation: Negotiation,
    id: string | undefined,
    body: CwmpMessage,
    faults: readonly InjectedFault[],
    session: AcsSession | undefined,
    extraHeaders: Readonly<Record<string, string>> = {},
  ): CwmpReply {
    const hold = faults.some((f) => f.kind === "holdRequests");
    if (session) session.holdRequests = hold;
    return envelopeReply(negotiation, { id, hold, body, faults, extraHeaders });
  }
}
