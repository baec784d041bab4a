import { describe, expect, it } from "vitest";
import { appUuid, uuidV5 } from "./app-uuid.js";

describe("app UUIDs (TR-069 Annex H: name-based version 5)", () => {
  it("matches the RFC 4122 v5 reference (DNS namespace, python.org)", () => {
    expect(uuidV5("6ba7b810-9dad-11d1-80b4-00c04fd430c8", "python.org")).toBe(
      "886313e1-3b8a-5372-9b90-0c9aee199e5d",
    );
  });

  it("is stable per vendor and name, and differs when either changes", () => {
    const a = appUuid("Example", "telemetry");
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(appUuid("Example", "telemetry")).toBe(a);
    expect(appUuid("Other", "telemetry")).not.toBe(a);
    expect(appUuid("Example", "telemetry2")).not.toBe(a);
  });
});
