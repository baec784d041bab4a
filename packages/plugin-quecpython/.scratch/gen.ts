import { Either } from "effect";
import { generateBridge } from "../src/bridge/generate-bridge.ts";

const r = generateBridge();
if (Either.isLeft(r)) console.log(r.left.message);
else {
  console.log(r.right.bytes, r.right.imports);
  (await import("node:fs")).writeFileSync("/tmp/mpt/bridge.py", r.right.source);
}
