/**
 * Schema benchmark: generation from the XML, cold load of the generated schemas (each in a
 * fresh process, so nothing is cached), heap held by a loaded schema, and selectProfile.
 *
 * Run: `pnpm bench schema` (node --conditions=@cpekit/source --expose-gc --import tsx).
 */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const gc = (): void => {
  const collect = (globalThis as { gc?: () => void }).gc;
  collect?.();
  collect?.();
};
const heapMiB = (): number => process.memoryUsage().heapUsed / 2 ** 20;
const ms = (start: number): string => `${(performance.now() - start).toFixed(1)} ms`;

/** Child mode: measure one cold load and print one JSON line. */
const childLoad = async (which: string): Promise<void> => {
  let t = performance.now();
  await import("@cpekit/core");
  const importCore = ms(t);
  gc();
  const heapBefore = heapMiB();
  t = performance.now();
  await import(which === "igd1" ? "../src/generated/igd-1.js" : "../src/generated/device-2.js");
  const importGenerated = ms(t);
  t = performance.now();
  const pkg = await import("../src/index.js");
  const importPackage = ms(t);
  t = performance.now();
  const load = which === "igd1" ? pkg.loadIgd1Schema : pkg.loadDevice2Schema;
  const schema = load();
  const firstLoad = ms(t);
  t = performance.now();
  for (let i = 0; i < 1000; i++) load();
  const memoizedLoads = ms(t);
  gc();
  const heapHeld = (heapMiB() - heapBefore).toFixed(2);
  console.log(
    JSON.stringify({
      which,
      objects: schema.objects.size,
      parameters: schema.parameters.size,
      importCore,
      importGenerated,
      importPackage,
      firstLoad,
      memoizedLoads,
      heapHeldMiB: heapHeld,
    }),
  );
};

const coldLoadInFreshProcess = (which: string): void => {
  const r = spawnSync(
    process.execPath,
    [...process.execArgv, fileURLToPath(import.meta.url), "--child-load", which],
    { encoding: "utf8" },
  );
  if (r.status !== 0) {
    console.log(`  ${which}: child failed: ${r.stderr}`);
    return;
  }
  const f = JSON.parse(r.stdout.trim().split("\n").at(-1) ?? "{}") as Record<string, string>;
  console.log(
    `  ${which}: ${f.objects} objects, ${f.parameters} parameters; import @cpekit/core ${f.importCore}` +
      ` (not ours), import generated module ${f.importGenerated} (tsx transform included),` +
      ` rest of package ${f.importPackage}, first load ${f.firstLoad},` +
      ` 1000 memoized loads ${f.memoizedLoads}, heap held ${f.heapHeldMiB} MiB`,
  );
};

const main = async (): Promise<void> => {
  const { bbfDirectory, generateModule, moduleSpecs } = await import(
    "../scripts/generate-modules.js"
  );
  console.log("generate (parse XML, resolve types, emit module):");
  for (const spec of moduleSpecs) {
    generateModule(bbfDirectory(), spec); // warm the parser code once
    const t = performance.now();
    const m = generateModule(bbfDirectory(), spec);
    console.log(
      `  ${spec.sourceFile}: ${ms(t)}, module ${(Buffer.byteLength(m.text) / 1024).toFixed(0)} KiB`,
    );
  }

  console.log("cold load, fresh process each:");
  coldLoadInFreshProcess("device2");
  coldLoadInFreshProcess("igd1");

  const { loadDevice2Schema, selectProfile } = await import("../src/index.js");
  const schema = loadDevice2Schema();
  console.log("selectProfile on Device:2.17:");
  for (const name of ["cellular-module", "home-gateway"] as const) {
    gc();
    const before = heapMiB();
    let t = performance.now();
    const subset = selectProfile(schema, name);
    const first = ms(t);
    gc();
    const held = (heapMiB() - before).toFixed(2);
    t = performance.now();
    for (let i = 0; i < 10_000; i++) selectProfile(schema, name);
    console.log(
      `  ${name}: ${subset.parameters.size} parameters; first ${first}, heap held ${held} MiB;` +
        ` 10000 memoized calls ${ms(t)}`,
    );
  }
  const t = performance.now();
  const all = selectProfile(schema, ["Device."]);
  console.log(`  whole tree ["Device."]: ${all.parameters.size} parameters in ${ms(t)}`);
};

const childIndex = process.argv.indexOf("--child-load");
await (childIndex >= 0 ? childLoad(process.argv[childIndex + 1] ?? "device2") : main());
