/**
 * The values a simulated device owns itself (not the ACS, not the store): its
 * ConnectionRequestURL and a few identity values the conformance suite changes
 * "on the device" to test notifications (`changeValue`). Served to the data model as a
 * `ParameterProvider` whose `changes` stream reports each change, as a real plugin would.
 * (UpTime is served by the CLI's `runtimeProvider`, next to this one.)
 * @module
 */
import { type ParameterChange, type ParameterProvider, ProviderError } from "@cpekit/core";
import { Effect, Queue, Stream } from "effect";

/** The device-side values of one simulated device. */
export interface DeviceSideValues {
  readonly provider: ParameterProvider;
  /** Changes a value the device owns and reports the change; fails for other names. */
  readonly change: (name: string, value: string) => Effect.Effect<void, ProviderError>;
  /** Breaks or repairs the source of `name`: while broken, reading it throws (a plugin bug). */
  readonly setBroken: (name: string, broken: boolean) => Effect.Effect<void>;
}

/** Options of {@link makeDeviceSideValues}. */
export interface DeviceSideValuesOptions {
  /** `Device.` (the prefix of every name below). */
  readonly root: string;
  readonly connectionRequestUrl: string;
  /** Initial values of the changeable parameters, by full name. */
  readonly initial: Readonly<Record<string, string>>;
}

const refused = (detail: string, faultCode: number) =>
  new ProviderError({ reason: "Rejected", provider: "device", detail, faultCode });

/** Builds the device-side values (one per device life). */
export const makeDeviceSideValues = (
  options: DeviceSideValuesOptions,
): Effect.Effect<DeviceSideValues> =>
  Effect.gen(function* () {
    const crUrl = `${options.root}ManagementServer.ConnectionRequestURL`;
    const values = new Map(Object.entries(options.initial));
    const changes = yield* Queue.unbounded<readonly ParameterChange[]>();
    const broken = new Set<string>();
    const read = (name: string): string | undefined =>
      name === crUrl ? options.connectionRequestUrl : values.get(name);
    const provider: ParameterProvider = {
      name: "device",
      paths: [crUrl, ...values.keys()],
      get: (paths) =>
        Effect.suspend(() => {
          const out = new Map<string, string>();
          for (const p of paths) {
            // Thrown, not failed: the data model must survive a provider's own bug (9002).
            if (broken.has(p)) throw new Error(`the source of ${p} is broken`);
            const v = read(p);
            if (v === undefined) return Effect.fail(refused(`no value for ${p}`, 9005));
            out.set(p, v);
          }
          return Effect.succeed(out);
        }),
      // These parameters are read-only in TR-181; the data model refuses writes before this.
      set: (list) => Effect.fail(refused(`read-only: ${list.map((c) => c.path).join(", ")}`, 9008)),
      changes: Stream.fromQueue(changes),
    };
    return {
      provider,
      change: (name, value) =>
        values.has(name)
          ? Effect.zipRight(
              Effect.sync(() => values.set(name, value)),
              Queue.offer(changes, [{ path: name, value }]),
            )
          : Effect.fail(refused(`not a device-side value: ${name}`, 9005)),
      setBroken: (name, on) =>
        Effect.sync(() => {
          if (on) broken.add(name);
          else broken.delete(name);
        }),
    };
  });
