/**
 * The conformance suite's `requestFromCpe` for a cpekit agent: the CPE request the suite names
 * is made through `agent.cpeRequests`, the API a device's application or plugin uses (no
 * test-only path into the agent), and the ACS's answer is handed back as the suite wants it.
 * @module
 */
import {
  type CpeRequestOutcome,
  type CpeRequestTrigger,
  DeviceUnderTestError,
} from "@cpekit/acs-testkit";
import {
  type CpeRequestError,
  type CpeRequests,
  type CwmpMessage,
  type PendingCpeRequest,
  soapFaultCode,
} from "@cpekit/core";
import { Effect, Option } from "effect";

const answered = (answer: CwmpMessage): CpeRequestOutcome => ({ outcome: "answered", answer });

/** Waits for a pending request's answer; a refusal by the ACS is an answer (its Fault). */
const answerOf = <R extends CwmpMessage>(
  pending: PendingCpeRequest<R>,
): Effect.Effect<CpeRequestOutcome, CpeRequestError> =>
  pending.answer.pipe(
    Effect.map(answered),
    Effect.catchIf(
      (e) => e.reason === "Rejected" && e.faultCode !== undefined,
      (e) => {
        const code = e.faultCode ?? 0;
        return Effect.succeed(
          answered({
            _tag: "Fault",
            faultcode: soapFaultCode(code),
            faultstring: "CWMP fault",
            detail: { faultCode: code, faultString: e.detail, setParameterValuesFaults: [] },
          }),
        );
      },
    ),
  );

/** Makes `request` through `api` and waits for the ACS's answer. */
export const requestThroughAgent = (
  api: CpeRequests,
  request: CpeRequestTrigger,
): Effect.Effect<CpeRequestOutcome, DeviceUnderTestError> => {
  const made: Effect.Effect<CpeRequestOutcome, CpeRequestError> = (() => {
    switch (request._tag) {
      case "Kicked":
        return Effect.flatMap(
          api.kicked({
            command: request.command,
            referer: request.referer,
            arg: request.arg,
            next: request.next,
          }),
          answerOf,
        );
      case "RequestDownload":
        return Effect.flatMap(api.requestDownload(request.fileType, request.fileTypeArg), answerOf);
      case "AutonomousTransferComplete":
        return Effect.flatMap(
          api.autonomousTransferComplete({
            announceUrl: request.announceUrl,
            transferUrl: request.transferUrl,
            isDownload: request.isDownload,
            fileType: request.fileType,
            fileSize: request.fileSize,
            targetFileName: request.targetFileName,
            fault: request.faultStruct,
            startTime: request.startTime,
            completeTime: request.completeTime,
          }),
          Option.match({
            onNone: () => Effect.succeed<CpeRequestOutcome>({ outcome: "notReported" }),
            onSome: answerOf,
          }),
        );
      case "GetRPCMethods":
        return Effect.flatMap(api.getRpcMethods(), answerOf);
    }
  })();
  return Effect.mapError(
    made,
    (e) => new DeviceUnderTestError({ reason: "Failed", detail: e.message, cause: e }),
  );
};
