/**
 * Writes the generated bridge (default map) to a file, or prints it:
 * `node --conditions=@cpekit/source --import tsx packages/plugin-quecpython/scripts/generate-bridge.ts [out.py]`
 */
import { writeFileSync } from "node:fs";
import { Either } from "effect";
import { generateBridge } from "../src/bridge/generate-bridge.js";

const result = generateBridge();
if (Either.isLeft(result)) {
  console.error(result.left.message);
  process.exit(1);
}
const out = process.argv[2];
if (out) {
  writeFileSync(out, result.right.source);
  console.error(
    `wrote ${out}: ${result.right.bytes} bytes, imports ${result.right.imports.join(", ")}`,
  );
} else process.stdout.write(result.right.source);
