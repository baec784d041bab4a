/**
 * The small CWMP structures shared by the SOAP codec, the data-model runtime and the agent
 * (field names follow the BBF XSD `cwmp-1-2.xsd`, in camelCase).
 * @module
 */

/** `ParameterInfoStruct` of GetParameterNamesResponse. */
export interface ParameterInfoStruct {
  /** Full parameter name, or a partial path ending in `.` for an object. */
  readonly name: string;
  /** For a parameter: settable. For an object: AddObject (table) or DeleteObject (instance) allowed. */
  readonly writable: boolean;
}

/** Notification attribute: 0 off, 1 passive, 2 active, 3-6 lightweight variants (CWMP 1.4). */
export type Notification = 0 | 1 | 2 | 3 | 4 | 5 | 6;

/** `ParameterAttributeStruct` of GetParameterAttributesResponse. */
export interface ParameterAttributeStruct {
  readonly name: string;
  readonly notification: Notification;
  /** Entities allowed to write besides the ACS; only `"Subscriber"` is defined. */
  readonly accessList: readonly string[];
}

/** `SetParameterAttributesStruct` of SetParameterAttributes. */
export interface SetParameterAttributesStruct {
  /** Full parameter name or partial path. */
  readonly name: string;
  readonly notificationChange: boolean;
  readonly notification: Notification;
  readonly accessListChange: boolean;
  readonly accessList: readonly string[];
}

/** `EventStruct` of the Inform. */
export interface EventStruct {
  readonly eventCode: string;
  readonly commandKey: string;
}

/** `DeviceIdStruct` of the Inform. */
export interface DeviceIdStruct {
  readonly manufacturer: string;
  /** Organizationally Unique Identifier, six upper-case hex digits. */
  readonly oui: string;
  readonly productClass: string;
  readonly serialNumber: string;
}
