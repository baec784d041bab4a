/**
 * The plugin's parameter and action map: what the generated bridge reads, writes and runs on
 * the module, each entry a MicroPython snippet over the documented QuecPython APIs.
 *
 * Snippets run inside the bridge's runtime (see `bridge-runtime.ts`) and may use its helpers:
 * - `S('name')`: the result of a {@link BridgeSource} call, made once per request and shared by
 *   every key that reads it (one `net.getSignal()` for rssi, rsrp and rsrq); -1 raises.
 * - `_n(x)`: `x`, or an error when the API answered -1 (its failure value).
 * - `_u(x)`: `x`, or `None` (JSON null, "unknown") for the 99 / 255 signal placeholders.
 * - `_un('key')`: a field of `uos.uname()` (`'sysname=EC600S-CNLB'` style strings).
 * - `E('text')`: the error to raise.
 *
 * Each parameter names its CWMP value type and, where one fits, the TR-181 path it feeds, so the
 * ParameterProvider that maps TR-181 onto the bridge is a table lookup.
 * @module
 */
import type { StandardValueType } from "@cpekit/core";
import { appActions, appsPrelude } from "./app-actions.js";
import { ipPingAction } from "./ping-action.js";

/** A call whose result several keys read (memoised for one request). */
export interface BridgeSource {
  readonly name: string;
  /** A MicroPython expression. */
  readonly call: string;
}

/** A readable key. */
export interface BridgeParameter {
  readonly key: string;
  /** CWMP type of the value once converted to its lexical form on the host. */
  readonly type: StandardValueType;
  /** A MicroPython expression giving the value; `None` means unknown. */
  readonly get: string;
  /** Name of the {@link BridgeSetter} group that writes this key, when writable. */
  readonly setter?: string;
  /** The TR-181 parameter this key is meant for (informative; the provider decides). */
  readonly tr181?: string;
}

/**
 * Writes a group of keys with one API call. `body` is the MicroPython body of a function of
 * `v` (a dict of the group's keys being written) that returns the API's result (-1 = failure).
 */
export interface BridgeSetter {
  readonly group: string;
  readonly body: string;
}

/**
 * An action. `body` is the MicroPython body of a function of `p` (the arguments dict) returning
 * a JSON-able result; it raises `E(...)` on failure. When `restart` is set, the bridge restarts
 * the module (`Power.powerRestart()`) after the reply has been sent, if the action succeeded.
 */
export interface BridgeAction {
  readonly name: string;
  readonly body: string;
  readonly restart?: boolean;
}

/** Everything the generator turns into a bridge. */
export interface BridgeMap {
  readonly sources: readonly BridgeSource[];
  readonly parameters: readonly BridgeParameter[];
  readonly setters: readonly BridgeSetter[];
  readonly actions: readonly BridgeAction[];
  /**
   * Module-level MicroPython inserted before the tables (imports and state the actions share).
   * It may append functions to `_BT`, which the bridge calls once when it starts.
   */
  readonly prelude?: readonly string[];
}

/** The sources of the default map. */
export const defaultSources: readonly BridgeSource[] = [
  { name: "sig", call: "net.getSignal()" },
  { name: "st", call: "net.getState()" },
  { name: "op", call: "net.operatorName()" },
  { name: "ip", call: "dataCall.getInfo(1,0)" },
  { name: "pdp", call: "dataCall.getPDPContext(1)" },
];

const cellular = "Device.Cellular.Interface.1.";
const apnPath = "Device.Cellular.AccessPoint.1.";

/** The readable keys of the default map. */
export const defaultParameters: readonly BridgeParameter[] = [
  {
    key: "imei",
    type: "string",
    get: "_n(modem.getDevImei())",
    tr181: `${cellular}X_QUECTEL_IMEI`,
  },
  { key: "sn", type: "string", get: "_n(modem.getDevSN())" },
  {
    key: "model",
    type: "string",
    get: "_n(modem.getDevModel())",
    tr181: "Device.DeviceInfo.ModelName",
  },
  {
    key: "fwVersion",
    type: "string",
    get: "_n(modem.getDevFwVersion())",
    tr181: "Device.DeviceInfo.SoftwareVersion",
  },
  {
    key: "manufacturer",
    type: "string",
    get: "_n(modem.getDevProductId())",
    tr181: "Device.DeviceInfo.Manufacturer",
  },
  {
    key: "hwVersion",
    type: "string",
    get: "_un('machine')",
    tr181: "Device.DeviceInfo.HardwareVersion",
  },
  { key: "qpyVersion", type: "string", get: "_un('qpyver')" },
  {
    key: "uptime",
    type: "unsignedInt",
    get: "_up()",
    tr181: "Device.DeviceInfo.UpTime",
  },
  { key: "imsi", type: "string", get: "_n(sim.getImsi())", tr181: `${cellular}USIM.IMSI` },
  { key: "iccid", type: "string", get: "_n(sim.getIccid())", tr181: `${cellular}USIM.ICCID` },
  {
    key: "msisdn",
    type: "string",
    get: "_n(sim.getPhoneNumber())",
    tr181: `${cellular}USIM.MSISDN`,
  },
  {
    key: "simStatus",
    type: "int",
    get: "int(_n(sim.getStatus()))",
    tr181: `${cellular}USIM.Status`,
  },
  { key: "rssi", type: "int", get: "_u(S('sig')[1][0])", tr181: `${cellular}RSSI` },
  { key: "rsrp", type: "int", get: "_u(S('sig')[1][1])", tr181: `${cellular}RSRP` },
  { key: "rsrq", type: "int", get: "_u(S('sig')[1][2])", tr181: `${cellular}RSRQ` },
  { key: "csq", type: "int", get: "_u(_n(net.csqQueryPoll()))" },
  { key: "regState", type: "int", get: "S('st')[1][0]", tr181: `${cellular}Status` },
  {
    key: "rat",
    type: "int",
    get: "S('st')[1][3]",
    tr181: `${cellular}CurrentAccessTechnology`,
  },
  { key: "lac", type: "unsignedInt", get: "S('st')[1][1]" },
  { key: "cellId", type: "unsignedInt", get: "S('st')[1][2]" },
  {
    key: "operator",
    type: "string",
    get: "S('op')[0]",
    tr181: `${cellular}NetworkInUse`,
  },
  { key: "mcc", type: "string", get: "S('op')[2]" },
  { key: "mnc", type: "string", get: "S('op')[3]" },
  { key: "dataState", type: "int", get: "S('ip')[2][0]" },
  {
    key: "ipv4",
    type: "string",
    get: "_ip(S('ip')[2][2])",
    tr181: "Device.IP.Interface.1.IPv4Address.1.IPAddress",
  },
  { key: "dns1", type: "string", get: "_ip(S('ip')[2][3])" },
  { key: "dns2", type: "string", get: "_ip(S('ip')[2][4])" },
  { key: "apn", type: "string", get: "S('pdp')[1]", setter: "pdp", tr181: `${apnPath}APN` },
  {
    key: "apnUser",
    type: "string",
    get: "S('pdp')[2]",
    setter: "pdp",
    tr181: `${apnPath}Username`,
  },
  {
    key: "apnPassword",
    type: "string",
    get: "S('pdp')[3]",
    setter: "pdp",
    tr181: `${apnPath}Password`,
  },
  { key: "apnAuth", type: "unsignedInt", get: "S('pdp')[4]", setter: "pdp" },
  { key: "powerOnReason", type: "unsignedInt", get: "_n(Power.powerOnReason())" },
  { key: "vbat", type: "unsignedInt", get: "_n(Power.getVbatt())" },
];

/**
 * The APN setter: reads the current PDP context once and writes it back with the new fields,
 * so a batch that sets apn, user and password is one `setPDPContext` call.
 */
export const defaultSetters: readonly BridgeSetter[] = [
  {
    group: "pdp",
    body: [
      "try:c=S('pdp')",
      "except Exception:c=(0,'','','',0)",
      "return dataCall.setPDPContext(1,c[0],str(v.get('apn',c[1])),str(v.get('apnUser',c[2])),str(v.get('apnPassword',c[3])),int(v.get('apnAuth',c[4])))",
    ].join("\n"),
  },
];

/** Files under /usr that the default factory reset keeps: the bridge and its boot hook. */
export const defaultFactoryResetKeep: readonly string[] = ["cpekit_bridge.py", "main.py"];

/**
 * The default factory reset: removes the files under `/usr` except `keep`, then the bridge
 * restarts the module. Replace it with a profile's own snippet through `factoryResetAction`.
 */
export const factoryResetAction = (
  body = [
    `k=${JSON.stringify(defaultFactoryResetKeep).replace(/"/g, "'")}`,
    "for f in uos.listdir('/usr'):",
    " if f not in k:",
    "  try:uos.remove('/usr/'+f)",
    "  except Exception:pass",
    "return 0",
  ].join("\n"),
): BridgeAction => ({ name: "factoryReset", body, restart: true });

/**
 * The firmware upgrade: `fota(reset_disable=1).httpDownload(url1=..., callback=...)`, waiting
 * for the callback's verdict (status 0-2 with progress 100 is success, any other status an
 * error code) for at most `p['timeout']` seconds (default 600), then a restart.
 */
export const fotaAction: BridgeAction = {
  name: "fota",
  restart: true,
  body: [
    "R=[None]",
    "def cb(a):",
    " if a[0] in(0,1,2):",
    "  if a[1]>=100:R[0]=0",
    " else:R[0]=a[1] or -1",
    "if fota(reset_disable=1).httpDownload(url1=p['url'],callback=cb)==-1:raise E('download refused')",
    "t=utime.ticks_ms();w=int(p.get('timeout',600))*1000",
    "while R[0] is None and utime.ticks_diff(utime.ticks_ms(),t)<w:utime.sleep_ms(200)",
    "if R[0] is None:raise E('fota timeout')",
    "if R[0]:raise E('fota error %s'%R[0])",
    "return 0",
  ].join("\n"),
};

/** The default actions. */
export const defaultActions: readonly BridgeAction[] = [
  { name: "reboot", body: "return 0", restart: true },
  fotaAction,
  {
    name: "appFota",
    restart: true,
    body: [
      "a=app_fota.new()",
      "if a.download(p['url'],p['file'])==-1:raise E('download failed')",
      "a.set_update_flag()",
      "return 0",
    ].join("\n"),
  },
  factoryResetAction(),
  {
    name: "ping",
    body: "return {'echo':p.get('echo'),'ms':utime.ticks_ms(),'mem':gc.mem_alloc()}",
  },
  ipPingAction,
  ...appActions,
];

/** The default map's module-level code: the software-module helpers. */
export const defaultPrelude: readonly string[] = [appsPrelude];

/** The plugin's default map. */
export const defaultBridgeMap: BridgeMap = {
  sources: defaultSources,
  parameters: defaultParameters,
  setters: defaultSetters,
  actions: defaultActions,
  prelude: defaultPrelude,
};
