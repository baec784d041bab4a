import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadDevice2Schema, selectProfile } from "@cpekit/datamodel-tr181";
import { Effect, Either, Exit } from "effect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openModulePlugin, resolvePluginModule } from "./module-plugin.js";

let dir: string;

// A plugin module as a user writes it (plain ESM), and modules that are not plugins.
const pluginSource = `
export default {
  name: "test-plugin",
  open: async ({ options, deviceId }) => ({
    deviceId: { serialNumber: "SN-" + options.n },
    deviceActions: {},
    description: "opened for " + deviceId.productClass,
    close: () => { globalThis.__testPluginClosed = (globalThis.__testPluginClosed ?? 0) + 1; },
  }),
};
`;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "cpekit-module-plugin-"));
  await writeFile(join(dir, "plugin.mjs"), pluginSource);
  await writeFile(join(dir, "not-a-plugin.mjs"), "export default 42;\n");
  await writeFile(
    join(dir, "failing.mjs"),
    'export default { name: "failing", open: () => { throw new Error("no sensor on /dev/x"); } };\n',
  );
  await mkdir(join(dir, "node_modules/acme-plugin"), { recursive: true });
  await writeFile(
    join(dir, "node_modules/acme-plugin/package.json"),
    JSON.stringify({ name: "acme-plugin", type: "module", exports: { ".": "./index.js" } }),
  );
  await writeFile(join(dir, "node_modules/acme-plugin/index.js"), pluginSource);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const context = {
  deviceId: { manufacturer: "ACME", oui: "00ACE0", productClass: "Box", serialNumber: "" },
  options: { n: 7 },
  schema: selectProfile(loadDevice2Schema(), "cellular-module"),
};

describe("plugin modules (profile plugin.name naming a path or a package)", () => {
  it("a relative path is taken from the profile's folder; a missing file is refused naming plugin.name", () => {
    expect(resolvePluginModule("./plugin.mjs", dir)).toEqual(Either.right(join(dir, "plugin.mjs")));
    const missing = resolvePluginModule("./nope.js", dir);
    expect(Either.isLeft(missing) && missing.left).toMatch(/^plugin\.name: no plugin module at /);
  });

  it("a package name is resolved from the profile's folder; an unknown one is refused naming plugin.name", () => {
    expect(resolvePluginModule("acme-plugin", dir)).toEqual(
      Either.right(join(dir, "node_modules/acme-plugin/index.js")),
    );
    const unknown = resolvePluginModule("no-such-plugin", dir);
    expect(Either.isLeft(unknown) && unknown.left).toMatch(
      /plugin\.name: "no-such-plugin" is neither a built-in plugin \(generic, quecpython\) nor a package/,
    );
  });

  it("opens the plugin with the profile's options, merges its DeviceId, and closes it with the scope", async () => {
    const g = globalThis as { __testPluginClosed?: number };
    g.__testPluginClosed = 0;
    const opened = await Effect.runPromise(
      Effect.scoped(
        Effect.tap(openModulePlugin(join(dir, "plugin.mjs"), context), () =>
          Effect.sync(() => expect(g.__testPluginClosed).toBe(0)),
        ),
      ),
    );
    expect(opened.pluginName).toBe("test-plugin");
    expect(opened.deviceId).toEqual({ ...context.deviceId, serialNumber: "SN-7" });
    expect(opened.device.description).toBe("opened for Box");
    expect(g.__testPluginClosed).toBe(1);
  });

  it("a module without a plugin default export, or whose open throws, fails with PluginFailed and the reason", async () => {
    const notPlugin = await Effect.runPromiseExit(
      Effect.scoped(openModulePlugin(join(dir, "not-a-plugin.mjs"), context)),
    );
    expect(Exit.isFailure(notPlugin) && String(notPlugin.cause)).toMatch(
      /does not export a device plugin/,
    );
    const failing = await Effect.runPromiseExit(
      Effect.scoped(openModulePlugin(join(dir, "failing.mjs"), context)),
    );
    expect(Exit.isFailure(failing) && String(failing.cause)).toMatch(
      /plugin failing could not open the device: no sensor on \/dev\/x/,
    );
  });
});
