/**
 * Bundles the `cpekit` bin (`dist/main.js`, run after `tsc`, which it overwrites) with esbuild:
 * the CLI and the workspace packages it loads, tree-shaken, each command's code in its own chunk
 * under `dist/bin/` loaded on use. Why: loading Effect's barrel and every module of each
 * package costs a Node process about 40 MB of RSS more than the code `cpekit run` uses (issue
 * 11, docs/BENCHMARKS.md, "round 4"). `dist/index.js` and the other files of `tsc` stay as they
 * are for what imports the package.
 *
 * Left outside the bundle, loaded from node_modules (they are dependencies of this package for
 * that reason): packages with native code or WebAssembly that find their files from their own
 * location (lmdb, serialport, MicroPython), what is only resolved or imported through a
 * variable (mermaid, @xmpp/client) and test-only tools.
 */
import { chmod, mkdir, rm, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const cliDir = fileURLToPath(new URL("..", import.meta.url));
const outdir = `${cliDir}dist`;

/**
 * undici's entry loads all of undici (fetch, WebSocket, mocks, caches: about 8 MB of RSS more
 * than its `Client`); `@cpekit/transport-http` imports only `Client`, so its import gets the
 * module that defines it. Other importers (the test kit, for the demo and conformance) keep the
 * whole package.
 */
const undiciClientOnly = {
  name: "undici-client-only",
  setup(b) {
    b.onResolve({ filter: /^undici$/ }, (args) =>
      /[/\\]packages[/\\]transport-http[/\\]/.test(args.importer)
        ? { path: args.resolveDir, namespace: "undici-client" }
        : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: "undici-client" }, (args) => ({
      contents: 'import Client from "undici/lib/dispatcher/client.js"; export { Client };',
      resolveDir: args.path,
    }));
  },
};

/**
 * The workspace packages' modules only define things when imported (none of their package.json
 * says so: no bundler read them before), so what a command does not use of a package's barrel
 * is left out of its chunks.
 */
const workspaceDist = /[/\\]packages[/\\][^/\\]+[/\\]dist[/\\]/;
const workspaceSideEffectFree = {
  name: "workspace-side-effect-free",
  setup(b) {
    b.onResolve({ filter: /.*/ }, async (args) => {
      if (args.pluginData === workspaceSideEffectFree || args.namespace !== "file")
        return undefined;
      const resolved = await b.resolve(args.path, {
        kind: args.kind,
        importer: args.importer,
        resolveDir: args.resolveDir,
        with: args.with,
        pluginData: workspaceSideEffectFree,
      });
      if (resolved.errors.length > 0 || resolved.external || !workspaceDist.test(resolved.path))
        return resolved;
      return { ...resolved, sideEffects: false };
    });
  },
};

const { outputFiles } = await build({
  plugins: [undiciClientOnly, workspaceSideEffectFree],
  write: false,
  absWorkingDir: cliDir,
  entryPoints: ["src/main.ts"],
  outdir,
  entryNames: "[name]",
  chunkNames: "bin/[name]-[hash]",
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  sourcemap: "linked",
  minifyWhitespace: true,
  // One non-ASCII character in a kept licence comment would store a whole chunk's source as
  // two-byte characters in memory: the licences go to files beside the chunks instead.
  legalComments: "external",
  external: [
    "lmdb",
    "serialport",
    "@micropython/micropython-webassembly-pyscript",
    "mermaid",
    "@xmpp/client",
    "playwright-core",
    "xmllint-wasm",
  ],
  // CommonJS dependencies (commander, yaml, undici, ...) call `require` for Node's modules.
  banner: {
    js: 'import { createRequire as __cpekitCreateRequire } from "node:module"; const require = __cpekitCreateRequire(import.meta.url);',
  },
  logLevel: "warning",
});

// Replaced only once the bundle built: a failed build leaves the previous bin in place.
await rm(`${outdir}/bin`, { recursive: true, force: true });
for (const file of outputFiles) {
  await mkdir(dirname(file.path), { recursive: true });
  await writeFile(file.path, file.contents);
}
await chmod(`${outdir}/main.js`, 0o755);
