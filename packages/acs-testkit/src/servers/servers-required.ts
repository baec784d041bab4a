/**
 * Whether a missing server binary (coturn, Prosody) fails a test or conformance scenario rather
 * than skipping it: CI sets `CPEKIT_REQUIRE_SERVERS=1` (`.ci/run` installs the servers), so a
 * broken install cannot pass as a skip.
 * @module
 */

/** True when `CPEKIT_REQUIRE_SERVERS=1`. */
export const serversRequired = (): boolean => process.env.CPEKIT_REQUIRE_SERVERS === "1";
