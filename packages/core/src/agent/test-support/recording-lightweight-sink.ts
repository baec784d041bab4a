/**
 * Test support: a `LightweightNotificationSink` that records every datagram instead of sending
 * it, and can be told to fail (an unreachable host) until told otherwise.
 * @module
 */
import { Effect, Layer } from "effect";
import {
  type LightweightNotificationDatagram,
  LightweightNotificationSendError,
  LightweightNotificationSink,
  type LightweightNotificationSinkService,
} from "../../ports/lightweight-notification-sink.js";

/** The double, what it recorded, and a switch to make sends fail. */
export interface RecordingLightweightSink {
  readonly sent: LightweightNotificationDatagram[];
  readonly service: LightweightNotificationSinkService;
  readonly layer: Layer.Layer<LightweightNotificationSink>;
  /** While true, `send` fails (nothing is recorded). */
  failing: boolean;
}

/** A fresh recording sink. */
export const recordingLightweightSink = (): RecordingLightweightSink => {
  const sink: RecordingLightweightSink = {
    sent: [],
    failing: false,
    service: {
      protocols: ["UDP"],
      send: (datagram) =>
        sink.failing
          ? Effect.fail(new LightweightNotificationSendError({ detail: "unreachable (test)" }))
          : Effect.sync(() => {
              sink.sent.push(datagram);
            }),
    },
    layer: Layer.suspend(() => Layer.succeed(LightweightNotificationSink, sink.service)),
  };
  return sink;
};
