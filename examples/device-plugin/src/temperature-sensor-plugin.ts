/**
 * A cpekit device plugin for the temperature sensor: `cpekit run` loads it when a profile says
 *
 * ```yaml
 * plugin:
 *   name: ./node_modules/example-device-plugin/dist/index.js   # or a package name
 *   options: { celsius: 21 }
 * ```
 *
 * A plugin gives the agent two things: the providers of the values that live on the device
 * (read and written through the driver, never stored) and the device actions (reboot, factory
 * reset, install a downloaded file). Everything else (sessions, the store, the ACS, connection
 * requests) is cpekit's.
 * @module
 */
import {
  DeviceActionError,
  type DeviceActionsService,
  type ParameterProvider,
  providerFromPromises,
  toSchemaPath,
} from "@cpekit/core";
import type { DevicePlugin } from "cpekit";
import { Effect } from "effect";
import {
  openTemperatureSensor,
  SENSOR_RANGE,
  type TemperatureSensor,
} from "./temperature-sensor.js";

const SENSORS = "Device.DeviceInfo.TemperatureStatus.TemperatureSensor.";
const SENSOR = `${SENSORS}{i}.`;

/** A refusal the data model answers with fault 9007 (invalid parameter value). */
const invalid = (detail: string) => Object.assign(new Error(detail), { faultCode: 9007 });

/** TR-181 parameters served from the sensor (instance 1 is the sensor). */
export const sensorProvider = (sensor: TemperatureSensor): ParameterProvider => {
  const read: Record<string, () => string> = {
    "Device.DeviceInfo.SoftwareVersion": sensor.firmware,
    [`${SENSOR}Name`]: () => "ambient",
    [`${SENSOR}Enable`]: () => String(sensor.enabled()),
    [`${SENSOR}Status`]: () => (sensor.enabled() ? "Enabled" : "Disabled"),
    [`${SENSOR}Value`]: () => String(sensor.readCelsius()),
    [`${SENSOR}HighAlarmValue`]: () => String(sensor.highAlarm()),
    [`${SENSOR}ResetTime`]: () => sensor.resetTime().toISOString(),
  };
  /** Each writable parameter: checks a value and returns how to apply it. */
  const writers: Record<string, (value: string) => () => void> = {
    [`${SENSOR}Enable`]: (v) => () => sensor.setEnabled(v === "true" || v === "1"),
    [`${SENSOR}HighAlarmValue`]: (v) => {
      const celsius = Number(v);
      if (celsius < SENSOR_RANGE.min || celsius > SENSOR_RANGE.max)
        throw invalid(`${v} °C is outside ${SENSOR_RANGE.min}..${SENSOR_RANGE.max} °C`);
      return () => sensor.setHighAlarm(celsius);
    },
  };
  return providerFromPromises({
    name: "temperature-sensor",
    paths: Object.keys(read),
    get: async (paths) =>
      Object.fromEntries(paths.map((p) => [p, read[toSchemaPath(p)]?.() ?? ""])),
    set: async (changes) => {
      // Every value is checked before anything changes: a SetParameterValues is all or nothing.
      const applies = changes.map((c) => {
        const writer = writers[toSchemaPath(c.path)];
        if (writer === undefined) throw invalid(`${c.path} is not writable on the sensor`);
        return writer(c.value);
      });
      for (const apply of applies) apply();
      return { status: 0 };
    },
  });
};

/** Reboot, factory reset and firmware, through the driver. */
export const sensorActions = (sensor: TemperatureSensor): DeviceActionsService => ({
  reboot: Effect.sync(sensor.restart),
  factoryReset: Effect.sync(sensor.factoryReset),
  applyFirmware: (file) =>
    Effect.try({
      try: () => sensor.install(file.bytes),
      catch: (e) =>
        new DeviceActionError({ reason: "Rejected", faultCode: 9018, detail: String(e) }),
    }),
  applyConfig: (file) =>
    Effect.fail(
      new DeviceActionError({
        reason: "Unsupported",
        faultCode: 9001,
        detail: `the sensor takes firmware only, not "${file.fileType}"`,
      }),
    ),
});

/** The plugin: the default export of this package. */
export const temperatureSensorPlugin: DevicePlugin = {
  name: "temperature-sensor",
  open: ({ options, deviceId }) => {
    const celsius = options.celsius ?? 21;
    if (typeof celsius !== "number") throw new Error("plugin.options.celsius: expected a number");
    const sensor = openTemperatureSensor({
      celsius,
      ...(deviceId.serialNumber === "" ? {} : { serialNumber: deviceId.serialNumber }),
    });
    return {
      // The profile may leave the serial number out: the sensor knows its own.
      deviceId: { serialNumber: sensor.serialNumber },
      providers: [sensorProvider(sensor)],
      deviceActions: sensorActions(sensor),
      initialInstances: { [SENSORS]: [1] },
      description: `temperature sensor ${sensor.serialNumber}, firmware ${sensor.firmware()}`,
      close: sensor.close,
    };
  },
};
