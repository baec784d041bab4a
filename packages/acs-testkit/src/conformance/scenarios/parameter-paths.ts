/**
 * The full names scenarios use, built on the device's root (`Device.`), so the suite reads the
 * same against a Device:2 or an InternetGatewayDevice:1 data model.
 * @module
 */
import type { ScenarioContext } from "../scenario.js";

/** `<root>ManagementServer.<name>` (an empty name gives the object path). */
export const managementServer = (ctx: ScenarioContext, name: string): string =>
  `${ctx.device.root}ManagementServer.${name}`;

/** `<root>DeviceInfo.<name>` (an empty name gives the object path). */
export const deviceInfo = (ctx: ScenarioContext, name: string): string =>
  `${ctx.device.root}DeviceInfo.${name}`;
