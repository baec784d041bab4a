/**
 * Real servers started on 127.0.0.1 with generated configurations, for tests and conformance
 * scenarios that need what a device behind NAT talks to: coturn (STUN, Annex G) and Prosody
 * (XMPP, Annex K). Each is a Debian package; see {@link serversRequired} for what happens when
 * it is missing.
 * @module
 */
export { type Coturn, coturnUnavailable, startCoturn } from "./coturn.js";
export { type Prosody, type ProsodyOptions, prosodyUnavailable, startProsody } from "./prosody.js";
export { serversRequired } from "./servers-required.js";
