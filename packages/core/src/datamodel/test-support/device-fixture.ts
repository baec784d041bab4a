/**
 * A small Device:2-like schema for the data-model tests (core may not import the generated
 * TR-181 schemas). It has the ManagementServer parameters the Inform rules use, a writable
 * table with maxEntries and a nested table, a read-only table, a provider-owned subtree, one
 * parameter of every type with ranges, sizes, enumerations, patterns and a list, and the
 * forcedInform / activeNotify variants.
 * @module
 */
import type { ParameterSchema } from "../schema.js";
import { type DataModelSchema, makeSchema, type ObjectSchema } from "../schema.js";

const obj = (path: string, extra: Partial<ObjectSchema> = {}): ObjectSchema => ({
  path,
  access: "readOnly",
  multiInstance: path.endsWith("{i}."),
  minEntries: path.endsWith("{i}.") ? 0 : 1,
  ...extra,
});

const par = (
  path: string,
  type: ParameterSchema["type"],
  extra: Partial<ParameterSchema> = {},
): ParameterSchema => ({ path, type, access: "readWrite", ...extra });

const ro = { access: "readOnly" } as const;

/** Path of the test subtree holding one parameter of every kind. */
export const T = "Device.X_CPEKIT_Test.";

/** Path of the provider-owned subtree (serve it with a memory provider). */
export const CELLULAR = "Device.Cellular.";

/** The fixture schema. */
export const deviceFixture: DataModelSchema = makeSchema({
  root: "Device",
  version: "2.17",
  objects: [
    obj("Device."),
    obj("Device.DeviceInfo."),
    obj("Device.ManagementServer."),
    obj("Device.ManagementServer.InformParameter.{i}.", {
      access: "readWrite",
      numEntriesParameter: "Device.ManagementServer.InformParameterNumberOfEntries",
    }),
    obj(T),
    obj(`${T}Rule.{i}.`, {
      access: "readWrite",
      maxEntries: 3,
      numEntriesParameter: `${T}RuleNumberOfEntries`,
    }),
    obj(`${T}Rule.{i}.Sub.{i}.`, { access: "readWrite" }),
    obj(`${T}Port.{i}.`),
    obj(CELLULAR),
    obj(`${CELLULAR}Interface.{i}.`, {
      numEntriesParameter: `${CELLULAR}InterfaceNumberOfEntries`,
    }),
  ],
  parameters: [
    par("Device.RootDataModelVersion", "string", { ...ro, default: "2.17", forcedInform: true }),
    par("Device.DeviceInfo.Manufacturer", "string", { ...ro, default: "cpekit" }),
    par("Device.DeviceInfo.HardwareVersion", "string", {
      ...ro,
      default: "hw1",
      forcedInform: true,
    }),
    par("Device.DeviceInfo.SoftwareVersion", "string", {
      ...ro,
      default: "1.0.0",
      forcedInform: true,
      activeNotify: "forceEnabled",
    }),
    par("Device.DeviceInfo.ProvisioningCode", "string", {
      sizes: [{ maxLength: 64 }],
      forcedInform: true,
      activeNotify: "forceEnabled",
    }),
    par("Device.DeviceInfo.UpTime", "unsignedInt", { ...ro, activeNotify: "canDeny" }),
    par("Device.ManagementServer.URL", "string", { sizes: [{ maxLength: 256 }] }),
    par("Device.ManagementServer.Password", "string", { hidden: true, default: "secret" }),
    par("Device.ManagementServer.ParameterKey", "string", {
      ...ro,
      sizes: [{ maxLength: 32 }],
      forcedInform: true,
      activeNotify: "canDeny",
    }),
    par("Device.ManagementServer.ConnectionRequestURL", "string", {
      ...ro,
      forcedInform: true,
      activeNotify: "forceDefaultEnabled",
    }),
    par("Device.ManagementServer.PeriodicInformEnable", "boolean", { default: "true" }),
    par("Device.ManagementServer.PeriodicInformInterval", "unsignedInt", {
      ranges: [{ min: "1" }],
      default: "3600",
    }),
    par("Device.ManagementServer.PeriodicInformTime", "dateTime", {
      default: "0001-01-01T00:00:00Z",
    }),
    par("Device.ManagementServer.InformParameterNumberOfEntries", "unsignedInt", {
      ...ro,
      countsEntriesOf: "Device.ManagementServer.InformParameter.{i}.",
    }),
    par("Device.ManagementServer.InformParameter.{i}.Enable", "boolean", { default: "false" }),
    par("Device.ManagementServer.InformParameter.{i}.ParameterName", "string", {
      sizes: [{ maxLength: 256 }],
    }),
    par("Device.ManagementServer.InformParameter.{i}.EventList", "string", {
      list: { maxLength: 256 },
    }),
    par(`${T}Int`, "int", { ranges: [{ min: "-100", max: "100" }] }),
    par(`${T}UInt`, "unsignedInt"),
    par(`${T}Long`, "long"),
    par(`${T}ULong`, "unsignedLong"),
    par(`${T}Bool`, "boolean"),
    par(`${T}Time`, "dateTime"),
    par(`${T}B64`, "base64", { sizes: [{ maxLength: 8 }] }),
    par(`${T}Hex`, "hexBinary", { sizes: [{ minLength: 1, maxLength: 4 }] }),
    par(`${T}Dec`, "decimal", { ranges: [{ min: "0", max: "1.5" }] }),
    par(`${T}Str`, "string", { sizes: [{ maxLength: 16 }] }),
    par(`${T}Enum`, "string", { enumerations: ["Up", "Down", "Dormant"], default: "Down" }),
    par(`${T}Pattern`, "string", { patterns: ["[0-9A-F]{6}", ""], dataType: "OUI" }),
    par(`${T}List`, "string", {
      list: { maxItems: 3 },
      enumerations: ["A", "B", "C"],
    }),
    par(`${T}Step`, "unsignedInt", { ranges: [{ min: "0", max: "100", step: "5" }] }),
    par(`${T}ReadOnly`, "string", { ...ro, default: "fixed" }),
    par(`${T}Once`, "string", { access: "writeOnceReadOnly" }),
    par(`${T}Secret`, "string", { hidden: true }),
    par(`${T}RuleNumberOfEntries`, "unsignedInt", {
      ...ro,
      countsEntriesOf: `${T}Rule.{i}.`,
    }),
    par(`${T}Rule.{i}.Enable`, "boolean", { default: "false" }),
    par(`${T}Rule.{i}.Name`, "string", { sizes: [{ maxLength: 16 }] }),
    par(`${T}Rule.{i}.Priority`, "unsignedInt", {
      ranges: [{ min: "1", max: "10" }],
      default: "1",
    }),
    par(`${T}Rule.{i}.Sub.{i}.Value`, "string"),
    par(`${T}Port.{i}.Name`, "string", ro),
    par(`${T}Port.{i}.Status`, "string", { ...ro, enumerations: ["Up", "Down"], default: "Up" }),
    par(`${CELLULAR}InterfaceNumberOfEntries`, "unsignedInt", {
      ...ro,
      countsEntriesOf: `${CELLULAR}Interface.{i}.`,
    }),
    par(`${CELLULAR}Interface.{i}.Status`, "string", { ...ro, enumerations: ["Up", "Down"] }),
    par(`${CELLULAR}Interface.{i}.RSSI`, "int", ro),
    par(`${CELLULAR}Interface.{i}.APN`, "string", { sizes: [{ maxLength: 64 }] }),
  ],
});

/** Initial state seeding the read-only `Port` table with instances 1 and 2. */
export const fixtureInitial = {
  instances: { [`${T}Port.`]: [1, 2] },
  values: { [`${T}Port.1.Name`]: "lan1", [`${T}Port.2.Name`]: "lan2" },
} as const;

/**
 * The fixture with `parameters` (and `objects`) added: a test of one feature adds the
 * parameters of that feature (HeartbeatPolicy, DelayReboot, ...) the fixture leaves out.
 */
export const deviceFixtureWith = (
  parameters: readonly ParameterSchema[],
  objects: readonly ObjectSchema[] = [],
): DataModelSchema =>
  makeSchema({
    root: deviceFixture.root,
    version: deviceFixture.version,
    objects: [...deviceFixture.objects.values(), ...objects],
    parameters: [...deviceFixture.parameters.values(), ...parameters],
  });
