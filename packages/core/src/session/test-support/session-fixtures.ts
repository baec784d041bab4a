/**
 * Fixtures shared by the session tests: an input, ACS envelopes, and a scripted fake ACS whose
 * answers a test releases one POST at a time.
 * @module
 */
import { Effect } from "effect";
import type { CwmpFault } from "../../cwmp/fault.js";
import { cwmpFault } from "../../cwmp/fault.js";
import { TransportError } from "../../ports/acs-transport.js";
import type { RpcDataModel } from "../../rpc/rpc-data-model.js";
import type { CwmpMessage, Envelope, SoapHeader } from "../../soap/messages.js";
import type { PostOutput, SessionInput } from "../session-io.js";

/** A 1.4 device with one event and one queued TransferComplete. */
export const sessionInput = (overrides: Partial<SessionInput> = {}): SessionInput => ({
  inform: {
    deviceId: {
      manufacturer: "Quectel",
      oui: "A1B2C3",
      productClass: "EC200U",
      serialNumber: "SN0001",
    },
    event: [{ eventCode: "7 TRANSFER COMPLETE", commandKey: "" }],
    currentTime: "2026-11-27T21:00:00Z",
    retryCount: 0,
    parameterList: [],
  },
  cpeRequests: [
    {
      id: "tc-1",
      request: {
        _tag: "TransferComplete",
        commandKey: "fw-1",
        faultStruct: { faultCode: 0, faultString: "" },
        startTime: "2026-11-27T20:59:00Z",
        completeTime: "2026-11-27T20:59:30Z",
      },
    },
  ],
  version: "1.4",
  ...overrides,
});

/** An envelope from the ACS. */
export const acsEnvelope = (body: CwmpMessage, header: SoapHeader = {}): Envelope => ({
  header,
  body,
  version: "1.4",
});

/** An ACS SOAP Fault. */
export const acsFault = (faultCode: number, header: SoapHeader = {}): Envelope =>
  acsEnvelope(
    {
      _tag: "Fault",
      faultcode: "Server",
      faultstring: "CWMP fault",
      detail: { faultCode, faultString: `fault ${faultCode}`, setParameterValuesFaults: [] },
    },
    header,
  );

/** A data model answering a fixed value, and 9005 for any other name. */
export const fakeDataModel: RpcDataModel = {
  getParameterValues: (names) =>
    names.every((n) => n === "Device.DeviceInfo.SerialNumber")
      ? Effect.succeed(names.map((name) => ({ name, value: "SN0001", type: "string" })))
      : Effect.fail(cwmpFault(9005)),
  getParameterNames: () => Effect.succeed([]),
  setParameterValues: () => Effect.succeed(0),
  getParameterAttributes: () => Effect.succeed([]),
  setParameterAttributes: () => Effect.void,
  addObject: () => Effect.succeed({ instanceNumber: 1, status: 0 }),
  deleteObject: () => Effect.succeed(0),
};

/** One POST the fake ACS has received and not yet answered. */
interface PendingPost {
  readonly envelope: Envelope | null;
  readonly resolve: (output: PostOutput) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * A fake ACS for the `post` exchange: records every POST and holds it until the test answers.
 * One instance per test: no shared state.
 */
export const makeFakeAcs = () => {
  const posted: Array<Envelope | null> = [];
  let pending: PendingPost | undefined;
  const take = (): PendingPost => {
    const current = pending;
    if (current === undefined) throw new Error("fake ACS: no POST is waiting for an answer");
    pending = undefined;
    return current;
  };
  return {
    posted,
    /** The `post` exchange's body: record, then wait for the test's answer. */
    receive: (envelope: Envelope | null): Promise<PostOutput> =>
      new Promise<PostOutput>((resolve, reject) => {
        posted.push(envelope);
        pending = { envelope, resolve, reject };
      }),
    /** True while a POST waits for its answer. */
    waiting: (): boolean => pending !== undefined,
    /** Answers the waiting POST with an envelope, or `null` for the empty 204 (H3). */
    answer: (envelope: Envelope | null): void => take().resolve({ envelope }),
    /** Fails the waiting POST as the transport would. */
    fail: (error: TransportError | CwmpFault | Error): void => take().reject(error),
  };
};

/** The transport's failure for an HTTP status. */
export const httpError = (status: number, retryAfter?: number): TransportError =>
  new TransportError({
    reason: status === 401 ? "Unauthorized" : "HttpStatus",
    detail: `HTTP ${status}`,
    status,
    ...(retryAfter === undefined ? {} : { retryAfter }),
  });
