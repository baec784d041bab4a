/**
 * The stored form of an `OpResultStruct` (Annex H): one operation's result as the DU state-change
 * reports carry it. The event queue (undelivered reports) and the software-modules state (results
 * not yet reported) store it alike.
 * @module
 */
import { Schema } from "effect";

/** Schema of a stored `OpResultStruct`. */
export const OpResultSchema = Schema.Struct({
  uuid: Schema.String,
  deploymentUnitRef: Schema.String,
  version: Schema.String,
  currentState: Schema.String,
  resolved: Schema.Boolean,
  executionUnitRefList: Schema.String,
  startTime: Schema.String,
  completeTime: Schema.String,
  fault: Schema.Struct({ faultCode: Schema.Number, faultString: Schema.optional(Schema.String) }),
});
