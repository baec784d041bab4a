/**
 * Data-model runtime figures:
 * 1. GetParameterValues of `Device.` on a device with 5,000 parameters (synthetic schema).
 * 2. Heap bytes per device for a ~300-parameter device, measured over 1,000 devices in one
 *    process (fresh devices, then after a few typical writes).
 * 3. Alias-based addressing (CWMP 1.4): GetParameterValues of 50 parameters of a 200-instance
 *    table named by instance number, by `[alias]`, and answered in InstanceAlias mode.
 * Run with `pnpm bench datamodel`.
 */
import { Effect } from "effect";
// Imported from the module files rather than the package barrel so that the figure does not
// depend on unrelated modules.
import {
  compileSchema,
  type DataModel,
  makeDataModel,
  makeSchema,
  type ObjectSchema,
  type ParameterSchema,
} from "../src/datamodel/index.js";
import { makeMemoryStore } from "../src/ports/store.js";

const object = (path: string, extra: Partial<ObjectSchema> = {}): ObjectSchema => ({
  path,
  access: "readOnly",
  multiInstance: path.endsWith("{i}."),
  minEntries: 0,
  ...extra,
});

/** `objects` single objects of `perObject` parameters each, plus a writable table. */
const syntheticSchema = (objects: number, perObject: number) => {
  const objs: ObjectSchema[] = [
    object("Device."),
    object("Device.Table.{i}.", { access: "readWrite" }),
  ];
  const params: ParameterSchema[] = [];
  const types = ["string", "unsignedInt", "boolean", "int"] as const;
  for (let o = 0; o < objects; o++) {
    objs.push(object(`Device.Obj${o}.`));
    for (let p = 0; p < perObject; p++)
      params.push({
        path: `Device.Obj${o}.Param${p}`,
        type: types[p % types.length] ?? "string",
        access: "readWrite",
        ...(p % 7 === 0 ? { default: "7" } : {}),
      });
  }
  for (let p = 0; p < 10; p++)
    params.push({ path: `Device.Table.{i}.Param${p}`, type: "string", access: "readWrite" });
  return compileSchema(
    makeSchema({ root: "Device", version: "2.17", objects: objs, parameters: params }),
  );
};

const run = <A>(e: Effect.Effect<A, unknown>) => Effect.runPromise(e as Effect.Effect<A>);
const gc = (globalThis as { gc?: () => void }).gc;

const device = (schema: ReturnType<typeof compileSchema>) =>
  run(Effect.flatMap(makeMemoryStore(), (store) => makeDataModel({ schema, store })));

// 1. GPV of Device. with 5,000 parameters.
{
  const schema = syntheticSchema(100, 50);
  const model = await device(schema);
  await run(
    model.setParameterValues(
      Array.from({ length: 100 }, (_, o) => ({
        name: `Device.Obj${o}.Param1`,
        value: "42",
        type: "unsignedInt",
      })),
      "bench",
    ),
  );
  const warm = await run(model.getParameterValues(["Device."]));
  const iterations = 50;
  const start = performance.now();
  for (let i = 0; i < iterations; i++) await run(model.getParameterValues(["Device."]));
  const ms = (performance.now() - start) / iterations;
  console.log(
    `GetParameterValues("Device.") on ${warm.length} parameters: ${ms.toFixed(2)} ms/op (${((warm.length / ms) * 1000).toFixed(0)} values/s)`,
  );
}

// 3. Alias addressing: the same 50 reads by number, by [alias], and in InstanceAlias mode.
{
  const schema = compileSchema(
    makeSchema({
      root: "Device",
      version: "2.17",
      objects: [
        object("Device."),
        object("Device.ManagementServer."),
        object("Device.Table.{i}.", { access: "readWrite" }),
      ],
      parameters: [
        {
          path: "Device.ManagementServer.InstanceMode",
          type: "string",
          access: "readWrite",
          default: "InstanceNumber",
        },
        { path: "Device.Table.{i}.Alias", type: "string", access: "readWrite" },
        { path: "Device.Table.{i}.Value", type: "string", access: "readWrite" },
      ],
    }),
  );
  const model = await run(
    Effect.flatMap(makeMemoryStore(), (store) =>
      makeDataModel({ schema, store, options: { aliasBasedAddressing: true } }),
    ),
  );
  for (let i = 1; i <= 200; i++) await run(model.addObject(`Device.Table.[row-${i}].`, ""));
  const picks = Array.from({ length: 50 }, (_, i) => 1 + ((i * 37) % 200));
  const byNumber = picks.map((n) => `Device.Table.${n}.Value`);
  const byAlias = picks.map((n) => `Device.Table.[row-${n}].Value`);
  const time = async (label: string, names: string[]) => {
    await run(model.getParameterValues(names));
    const iterations = 300;
    const start = performance.now();
    for (let i = 0; i < iterations; i++) await run(model.getParameterValues(names));
    const us = ((performance.now() - start) / iterations) * 1000;
    console.log(
      `GetParameterValues of 50 names of a 200-instance table, ${label}: ${us.toFixed(1)} µs/op`,
    );
  };
  await time("by number", byNumber);
  await time("by [alias]", byAlias);
  await run(
    model.setParameterValues(
      [{ name: "Device.ManagementServer.InstanceMode", value: "InstanceAlias", type: "string" }],
      "",
    ),
  );
  await time("by number, InstanceAlias answers", byNumber);
}

// 2. Heap per device, ~300 parameters.
{
  if (gc === undefined) throw new Error("run with --expose-gc");
  const schema = syntheticSchema(10, 29);
  const count = 1000;
  const devices: DataModel[] = [];
  gc();
  const before = process.memoryUsage().heapUsed;
  for (let i = 0; i < count; i++) devices.push(await device(schema));
  gc();
  const fresh = process.memoryUsage().heapUsed;
  for (const d of devices) {
    await run(
      d.setParameterValues(
        Array.from({ length: 20 }, (_, o) => ({
          name: `Device.Obj${o % 10}.Param${(4 * o) % 28}`,
          value: `v${o}`,
          type: "string",
        })),
        "k",
      ),
    );
    await run(d.addObject("Device.Table.", "k"));
    await run(
      d.setParameterAttributes([
        {
          name: "Device.Obj0.",
          notificationChange: true,
          notification: 1,
          accessListChange: false,
          accessList: [],
        },
      ]),
    );
  }
  gc();
  const used = process.memoryUsage().heapUsed;
  const params = schema.schema.parameters.size;
  console.log(
    `heap per device (${params} schema parameters, ${count} devices), fresh: ${((fresh - before) / count).toFixed(0)} bytes`,
  );
  console.log(
    `heap per device after 20 values, 1 instance, 29 attributes (incl. its memory store): ${((used - before) / count).toFixed(0)} bytes`,
  );
  if (devices.length !== count) throw new Error("unreachable");
}
