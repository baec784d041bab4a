/**
 * Plugins loaded from a module (see `device-plugin.ts` for the contract): finding the module a
 * profile names, when the profile is settled (a missing module is a bad profile, exit 2), and
 * importing and opening it when the device starts.
 * @module
 */
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { isAbsolute, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { DeviceIdStruct } from "@cpekit/core";
import { Effect, Either, type Scope } from "effect";
import { DeviceError } from "./device-error.js";
import { type DevicePluginContext, isDevicePlugin, type OpenedDevice } from "./device-plugin.js";

/** The names `cpekit run` knows without loading anything. */
export const builtInPluginNames: readonly string[] = ["generic", "quecpython"];

/**
 * The file of the plugin module `name`: a path (`./plugin.js`, `/opt/x/plugin.js`), taken
 * relative to `profileDir`, or a package name, resolved from `profileDir` as Node resolves it.
 * Left: a problem naming the field.
 */
export const resolvePluginModule = (
  name: string,
  profileDir: string,
): Either.Either<string, string> => {
  if (name.startsWith(".") || isAbsolute(name)) {
    const file = resolve(profileDir, name);
    return existsSync(file)
      ? Either.right(file)
      : Either.left(`plugin.name: no plugin module at ${file}`);
  }
  try {
    return Either.right(createRequire(join(profileDir, "profile.yaml")).resolve(name));
  } catch {
    return Either.left(
      `plugin.name: "${name}" is neither a built-in plugin (${builtInPluginNames.join(", ")}) nor a package found from ${profileDir}`,
    );
  }
};

const failed = (detail: string, cause?: unknown) =>
  new DeviceError({ reason: "PluginFailed", detail, cause });

const messageOf = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** The loaded plugin's device, with the DeviceId it settled and the plugin's name. */
export interface ModulePluginDevice {
  readonly pluginName: string;
  readonly deviceId: DeviceIdStruct;
  readonly device: OpenedDevice;
}

/**
 * Imports the plugin module `file` and opens its device for the life of the scope (its
 * `close` runs when the scope closes).
 */
export const openModulePlugin = (
  file: string,
  context: DevicePluginContext,
): Effect.Effect<ModulePluginDevice, DeviceError, Scope.Scope> =>
  Effect.gen(function* () {
    const module = yield* Effect.tryPromise({
      try: () => import(pathToFileURL(file).href) as Promise<Record<string, unknown>>,
      catch: (e) => failed(`cannot load the plugin module ${file}: ${messageOf(e)}`, e),
    });
    const plugin = module.default;
    if (!isDevicePlugin(plugin))
      return yield* failed(
        `${file} does not export a device plugin (a default export with a name and open())`,
      );
    const device = yield* Effect.acquireRelease(
      Effect.tryPromise({
        try: async () => plugin.open(context),
        catch: (e) => failed(`plugin ${plugin.name} could not open the device: ${messageOf(e)}`, e),
      }),
      (opened) => Effect.ignore(Effect.tryPromise(async () => opened.close?.())),
    );
    return {
      pluginName: plugin.name,
      deviceId: { ...context.deviceId, ...device.deviceId },
      device,
    };
  });
