/**
 * Example: a device plugin for a temperature sensor. The default export is what `cpekit run`
 * loads through a profile's `plugin.name`. See README.md.
 * @module
 */
import { temperatureSensorPlugin } from "./temperature-sensor-plugin.js";

export * from "./temperature-sensor.js";
export * from "./temperature-sensor-plugin.js";
export default temperatureSensorPlugin;
