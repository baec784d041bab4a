import { readFileSync } from "node:fs";
import {
  buildReport,
  renderText,
  requirementRows,
  runConformance,
  standardScenarios,
} from "@cpekit/acs-testkit";
import { Effect } from "effect";
import { cpekitDevice } from "/work/main/apps/cli/src/conformance/cpekit-device.ts";

const filter = process.argv[2];
const scenarios = standardScenarios.filter(
  (s) => !filter || s.ids.some((i) => new RegExp(filter).test(i)),
);
const run = await Effect.runPromise(
  runConformance({
    device: cpekitDevice,
    scenarios,
    storePathFor: (i, s, x) => `/tmp/conf/store-${Date.now()}-${i}${x}.json`,
    concurrency: 6,
    onResult: (r) => console.log(r.verdict, r.ids.join(","), r.durationMs, r.reason ?? ""),
  }),
);
const report = buildReport(
  requirementRows(readFileSync("/work/shared/docs/cwmp-requirements.md", "utf8")),
  run,
);
if (process.env.SHOW) console.log(renderText(report));
process.exit(0);
