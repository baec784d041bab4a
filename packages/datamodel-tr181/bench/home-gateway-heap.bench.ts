/**
 * Heap bytes per device for the "home-gateway" profile of Device:2.17 (about 300 parameters),
 * measured with 1,000 devices in one process sharing one compiled schema (issue 3's goal:
 * at most 100 KB per device, so that 10,000 devices fit in 1 GB).
 *
 * Every parameter of the profile holds a value (one instance per table), so the figure is for a
 * fully populated device, not an empty one. Run with `pnpm bench home-gateway`.
 */
import {
  compileSchema,
  type DataModel,
  type DataModelSchema,
  makeDataModel,
  makeMemoryStore,
  type ParameterSchema,
} from "@cpekit/core";
import { Effect } from "effect";
import { loadDevice2Schema, selectProfile } from "../src/index.js";

const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error("run with --expose-gc (pnpm bench does)");

/** A plausible value of the parameter's type, used where the schema has no default. */
const sampleValue = (p: ParameterSchema, i: number): string => {
  if (p.default !== undefined) return p.default;
  if (p.enumerations?.[0] !== undefined) return p.enumerations[0];
  switch (p.type) {
    case "boolean":
      return "true";
    case "int":
    case "long":
    case "unsignedInt":
    case "unsignedLong":
    case "decimal":
      return String(i % 100);
    case "dateTime":
      return "2026-11-27T12:00:00Z";
    default:
      return `value-${i}`;
  }
};

/** Values for every parameter with each `{i}` replaced by instance 1, and the instance lists. */
const populate = (schema: DataModelSchema) => {
  const values: Record<string, string> = {};
  const instances: Record<string, number[]> = {};
  let i = 0;
  for (const p of schema.parameters.values()) {
    if (p.countsEntriesOf !== undefined) continue; // computed by the runtime
    values[p.path.replaceAll("{i}", "1")] = sampleValue(p, i++);
  }
  for (const o of schema.objects.values()) {
    if (o.multiInstance) instances[o.path.replaceAll("{i}", "1").replace(/1\.$/, "")] = [1];
  }
  return { values, instances };
};

const schema = selectProfile(loadDevice2Schema(), "home-gateway");
const compiled = compileSchema(schema);
const initial = populate(schema);
const count = 1000;
const devices: DataModel[] = [];

gc();
const before = process.memoryUsage().heapUsed;
for (let d = 0; d < count; d++) {
  const model = await Effect.runPromise(
    Effect.flatMap(makeMemoryStore(), (store) =>
      makeDataModel({ schema: compiled, store, initial }),
    ),
  );
  devices.push(model);
}
gc();
const fresh = process.memoryUsage().heapUsed;
// One successful SetParameterValues per device: the memory store then also holds the
// persisted copy of the device's state, as a simulated fleet would.
for (const model of devices) {
  await Effect.runPromise(
    model.setParameterValues(
      [
        {
          name: "Device.ManagementServer.PeriodicInformInterval",
          value: "600",
          type: "unsignedInt",
        },
      ],
      "bench",
    ),
  );
}
gc();
const persisted = process.memoryUsage().heapUsed;

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
console.log(
  `home-gateway profile: ${schema.parameters.size} parameters, ${schema.objects.size} objects; ` +
    `${Object.keys(initial.values).length} values per device`,
);
console.log(
  `heap per device, ${count} devices, values in memory only: ${kb((fresh - before) / count)}`,
);
console.log(
  `heap per device including the in-memory store's persisted copy: ${kb((persisted - before) / count)}`,
);
console.log(`goal: at most 100 KB per device`);
if (devices.length !== count) throw new Error("unreachable");
