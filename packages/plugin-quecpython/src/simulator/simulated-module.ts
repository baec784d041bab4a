/**
 * A simulated QuecPython module: the generated bridge running in real MicroPython (the
 * WebAssembly port) over fake QuecPython modules (`fake-quecpython.ts`), reachable through a
 * Node Duplex exactly like a serial port.
 *
 * The WebAssembly port cannot block on stdin, so the simulator does what the bridge's `main()`
 * loop does on a module, from JS: each line written to the port is handed to the bridge's
 * `feed()`, and everything the bridge prints comes back on the port. A restart (the bridge's
 * reboot action, a successful fota, or {@link SimulatedModule.restart}) ends the port, drops the
 * interpreter and boots a new one after `bootDelayMs`, keeping the persisted state (APN,
 * firmware version) and losing the volatile one (uptime, signal drift, callbacks).
 * @module
 */
import { Either } from "effect";
import { APPS_DIR } from "../bridge/app-actions.js";
import { generateBridge } from "../bridge/generate-bridge.js";
import { fakeQuecPythonSource, fakeUpingSource, fakeUsocketSource } from "./fake-quecpython.js";
import { MicroPythonInstance, pythonString } from "./micropython-instance.js";
import { SimulatedPort } from "./simulated-port.js";
import { SimulatorError } from "./simulator-error.js";

/** The simulated module's identity and radio state. */
export interface SimulatedModuleConfig {
  readonly imei: string;
  readonly imsi: string;
  readonly iccid: string;
  readonly msisdn: string;
  readonly sn: string;
  readonly model: string;
  readonly manufacturer: string;
  readonly hw: string;
  readonly qpy: string;
  readonly fw: string;
  /** `sim.getStatus()`: 1 ready; anything else makes the SIM getters answer -1. */
  readonly simStatus: number;
  /** Registration state (1 home, 5 roaming, 2 searching, 0 not registered). */
  readonly reg: number;
  readonly lac: number;
  readonly cid: number;
  /** `net.operatorName()`: long name, short name, MCC, MNC. */
  readonly operator: readonly [string, string, string, string];
  readonly ip: string;
  readonly dataUp: boolean;
  readonly rssi: number;
  readonly rsrp: number;
  readonly rsrq: number;
  /** When set, `net.getSignal()` answers the 99/255 "unknown" placeholders. */
  readonly noSignal: boolean;
  /** PDP context 1: ipType, APN, user, password, auth type. */
  readonly pdp: readonly [number, string, string, string, number];
  /** Seed of the signal drift. */
  readonly seed: number;
  /** Names `usocket.getaddrinfo` resolves (name to IPv4), besides `localhost` and literals. */
  readonly hosts?: Readonly<Record<string, string>>;
  /** Addresses the fake `uping` gets answers from, besides `127.x.x.x`. */
  readonly pingable?: readonly string[];
  /** `uos.statvfs('/usr')`: size and free 4 KiB blocks (default 256 and 200). */
  readonly fsBlocks?: number;
  readonly fsFree?: number;
}

/** The default simulated module: an EC600N with a SIM, registered, data call up. */
export const defaultSimulatedModuleConfig: SimulatedModuleConfig = {
  imei: "866327040830317",
  imsi: "460011234567890",
  iccid: "89860112345678901234",
  msisdn: "+8613800000000",
  sn: "D1Q20GM050038341P",
  model: "EC600N",
  manufacturer: "Quectel",
  hw: "EC600N with QCX212",
  qpy: "V0003",
  fw: "EC600NCNLCR01A01M16_OCPU_QPY",
  simStatus: 1,
  reg: 1,
  lac: 0x5a1,
  cid: 0x1f2e3d,
  operator: ["CHN-UNICOM", "UNICOM", "460", "01"],
  ip: "10.64.12.34",
  dataUp: true,
  rssi: -71,
  rsrp: -96,
  rsrq: -9,
  noSignal: false,
  pdp: [0, "cmnet", "", "", 0],
  seed: 7,
};

/** Options of {@link SimulatedModule.start}. */
export interface SimulatedModuleOptions {
  readonly config?: Partial<SimulatedModuleConfig>;
  /** The bridge to run; the default generated bridge when omitted. */
  readonly bridgeSource?: string;
  /** How long the port stays absent while the module restarts, in ms (default 30). */
  readonly bootDelayMs?: number;
  /** Measure `gc.mem_alloc()` around every request (costs a `gc.collect()` per request). */
  readonly measureHeap?: boolean;
  /** User files in `/usr` (name to content); they persist across restarts until removed. */
  readonly files?: Readonly<Record<string, string>>;
}

/** The outcome the next `fota.httpDownload` reports. */
export interface FotaOutcome {
  readonly ok: boolean;
  /** Firmware version after the restart, on success. */
  readonly version?: string;
  /** Error code given to the callback on failure. */
  readonly code?: number;
  /** Make `httpDownload` itself return -1. */
  readonly refuse?: boolean;
}

/** Heap figures measured inside MicroPython with `gc.mem_alloc()`, in bytes. */
export interface HeapFigures {
  /** Heap in use after boot with the fake modules loaded, before the bridge is imported. */
  readonly baseline: number;
  /** Heap in use now, after a `gc.collect()`. */
  readonly live: number;
  /** Highest heap in use right after serving a request (garbage included), since boot. */
  readonly peakServing: number;
}

type Persisted = {
  pdp: unknown;
  fw: string;
  appFlag: number;
  usr?: string[];
  /** Files under `/usr/apps`, by path relative to it. */
  apps?: Record<string, Uint8Array>;
};

const defaultBridge = (): string => {
  const generated = generateBridge();
  if (Either.isLeft(generated)) throw generated.left;
  return generated.right.source;
};

/** A simulated QuecPython module. */
export class SimulatedModule {
  private instance: MicroPythonInstance | undefined;
  private port: SimulatedPort | undefined;
  private booting: Promise<void> | undefined;
  private closed = false;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private persisted: Persisted;
  private extra: Record<string, unknown> = {};
  private files: Record<string, string>;
  private readonly pastCalls = new Map<string, number>();
  private bridgeAlive = false;
  private stalled = false;
  private baseline = 0;
  private peakServing = 0;
  /** Frames handed to the bridge since the simulator started. */
  roundTrips = 0;
  /** Boots so far (1 after start). */
  bootCount = 0;
  /** The traceback that stopped the bridge (at start or while serving), if it crashed. */
  bridgeFailure: string | undefined;

  private constructor(
    private readonly config: SimulatedModuleConfig,
    private readonly bridgeSource: string,
    private readonly bootDelayMs: number,
    private readonly measureHeap: boolean,
    files: Readonly<Record<string, string>>,
  ) {
    this.persisted = { pdp: config.pdp, fw: config.fw, appFlag: 0 };
    this.files = { ...files };
  }

  /** Boots a simulated module. */
  static async start(options: SimulatedModuleOptions = {}): Promise<SimulatedModule> {
    const sim = new SimulatedModule(
      { ...defaultSimulatedModuleConfig, ...options.config },
      options.bridgeSource ?? defaultBridge(),
      options.bootDelayMs ?? 30,
      options.measureHeap ?? false,
      options.files ?? {},
    );
    await sim.boot(1);
    return sim;
  }

  /** Opens the module's port; fails while the module restarts or when a port is open. */
  async open(): Promise<SimulatedPort> {
    if (this.closed) throw new SimulatorError({ reason: "Closed", detail: "simulator closed" });
    if (!this.instance)
      throw new SimulatorError({ reason: "PortAbsent", detail: "module is restarting" });
    if (this.port)
      throw new SimulatorError({ reason: "PortBusy", detail: "the port is open already" });
    const port = new SimulatedPort({
      line: (text) => this.handleLine(text),
      detached: (p) => {
        if (this.port === p) this.port = undefined;
      },
    });
    this.port = port;
    return port;
  }

  /** Resolves once the module has booted (at once when it is up). */
  async whenBooted(): Promise<void> {
    while (this.booting || (!this.instance && !this.closed)) {
      if (this.booting) await this.booting;
      else await new Promise((r) => setTimeout(r, 5));
    }
  }

  /** Power-cycles the module from outside; resolves when it is up again. */
  async restart(): Promise<void> {
    this.goDown(0);
    await this.whenBooted();
  }

  /** The outcome of the next firmware download. */
  setFotaOutcome(outcome: FotaOutcome): void {
    const f: Record<string, unknown> = { ok: outcome.ok ? 1 : 0 };
    if (outcome.version !== undefined) f.fw = outcome.version;
    if (outcome.code !== undefined) f.code = outcome.code;
    if (outcome.refuse) f.refuse = 1;
    this.configure({ fota: f });
  }

  /** Brings the data call up or down; the bridge pushes a `data` event. */
  setDataCall(up: boolean): void {
    this.instance?.run(`import _qsim\n_qsim.data(${up ? 1 : 0})`);
  }

  /**
   * Makes the bridge swallow requests without answering (as when it is stuck in a long API
   * call), until the next restart or `setStalled(false)`.
   */
  setStalled(stalled: boolean): void {
    this.stalled = stalled;
  }

  /** Moves the module's clock (`utime.ticks_ms`) forward, as if `ms` had passed. */
  advanceClock(ms: number): void {
    this.instance?.run(`import _qsim\n_qsim._B[1]+=${Math.max(0, Math.floor(ms))}`);
  }

  /** Changes fake-module state (keys of {@link SimulatedModuleConfig}); kept across restarts. */
  configure(changes: Readonly<Record<string, unknown>>): void {
    this.extra = { ...this.extra, ...changes };
    this.instance?.run(`import _qsim\n_qsim.S.update(${pyJson(changes)})`);
  }

  /** Calls per QuecPython API since the simulator started (`"net.getSignal"` etc.). */
  apiCalls(): Record<string, number> {
    const out: Record<string, number> = Object.fromEntries(this.pastCalls);
    for (const [k, v] of Object.entries(this.currentCalls())) out[k] = (out[k] ?? 0) + v;
    return out;
  }

  /** Names of the user files in `/usr` that survive a restart. */
  userFiles(): string[] {
    return Object.keys(this.files).sort();
  }

  /**
   * The files under `/usr/apps` now (installed QuecPython apps), by path relative to it. They
   * survive a restart, as the module's flash does.
   */
  appFiles(): Record<string, Uint8Array> {
    return this.instance?.readTree(APPS_DIR) ?? {};
  }

  /** Threads started with `_thread.start_new_thread` that have not ended or been stopped. */
  runningThreads(): number {
    const answers = this.instance?.query("import _qsim\n_qsim.threads()").answers;
    return (answers?.[0] as { threads?: number } | undefined)?.threads ?? 0;
  }

  /**
   * Flips a bit in the next chunk the bridge decodes with `ubinascii.a2b_base64` (a file
   * written over the link arrives damaged), once.
   */
  corruptNextWrite(): void {
    this.instance?.run("import _qsim\n_qsim.S['corrupt']=1");
  }

  /** Pushes a network event (`net.setCallback`), with the callback's arguments. */
  pushNetworkEvent(args: readonly number[]): void {
    this.instance?.run(`import _qsim\n_qsim.netev(${pyJson(args)})`);
  }

  /** The state a restart keeps: PDP context, firmware version, app-fota flag, /usr listing. */
  persistedState(): { readonly pdp: unknown; readonly fw: string; readonly appFlag: number } {
    const answers = this.instance?.query("import _qsim\n_qsim.persist()").answers;
    const p = (answers?.[0] as { persist?: Persisted } | undefined)?.persist;
    return p ?? this.persisted;
  }

  /** Heap figures of the current boot, measured with `gc.mem_alloc()` in MicroPython. */
  heap(): HeapFigures {
    const answers = this.instance?.query("import _qsim\n_qsim.mem()").answers;
    const live = (answers?.[0] as { mem?: number } | undefined)?.mem ?? 0;
    return { baseline: this.baseline, live, peakServing: this.peakServing };
  }

  /** Stops the module and ends its port. */
  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.port?.destroy();
    this.port = undefined;
    this.instance = undefined;
  }

  private currentCalls(): Record<string, number> {
    const answers = this.instance?.query("import _qsim\n_qsim.counters()").answers;
    return (answers?.[0] as { calls?: Record<string, number> } | undefined)?.calls ?? {};
  }

  private boot(powerOnReason: number): Promise<void> {
    const run = async () => {
      const instance = await MicroPythonInstance.load({ line: (t) => this.port?.emitLine(t) });
      if (this.closed) return;
      instance.writeFile("/qsim", "_qsim.py", fakeQuecPythonSource);
      instance.writeFile("/qsim", "usocket.py", fakeUsocketSource);
      instance.writeFile("/qsim", "uping.py", fakeUpingSource);
      instance.writeFile("/usr", "cpekit_bridge.py", this.bridgeSource);
      for (const [name, text] of Object.entries(this.files)) instance.writeFile("/usr", name, text);
      for (const [path, bytes] of Object.entries(this.persisted.apps ?? {}))
        instance.writeBytes(`${APPS_DIR}/${path}`, bytes);
      const state = {
        ...this.config,
        ...this.extra,
        pdp: this.persisted.pdp,
        fw: this.persisted.fw,
        appFlag: this.persisted.appFlag,
        por: powerOnReason,
        dataUp: this.extra.dataUp ?? this.config.dataUp,
      };
      const failure = instance.run(
        `import sys\nsys.path.insert(0,'/qsim')\nimport _qsim\n_qsim.init(${pyJson(state)})`,
      );
      if (failure) throw new SimulatorError({ reason: "BootFailed", detail: failure.message });
      this.baseline = memOf(instance.query("_qsim.mem()").answers);
      this.peakServing = 0;
      const started = instance.run(
        "sys.path.insert(0,'/usr')\nimport cpekit_bridge as B\nB.start()",
      );
      this.bridgeAlive = started === undefined;
      this.bridgeFailure = started?.message;
      this.instance = instance;
      this.bootCount++;
    };
    this.booting = run().finally(() => {
      this.booting = undefined;
    });
    return this.booting;
  }

  private handleLine(text: string): void {
    const instance = this.instance;
    if (!instance || !this.bridgeAlive || this.stalled || !text.includes("\x1e")) return;
    this.roundTrips++;
    const call = `B.feed(${pythonString(text)})`;
    let failure: ReturnType<MicroPythonInstance["run"]>;
    if (this.measureHeap) {
      const r = instance.query(
        `import gc,_qsim\ngc.collect()\n${call}\n_qsim.out({'m':gc.mem_alloc()})`,
      );
      failure = r.failure;
      const m = (r.answers[0] as { m?: number } | undefined)?.m ?? 0;
      this.peakServing = Math.max(this.peakServing, m);
    } else failure = instance.run(call);
    if (!failure) return;
    if (failure.type === "SystemExit") {
      this.goDown(2);
      return;
    }
    // A crashed bridge prints its traceback on the port and stops answering, as on a module.
    for (const line of failure.message.split("\n")) this.port?.emitLine(line);
    this.bridgeAlive = false;
    this.bridgeFailure = failure.message;
  }

  /** Ends the port and the interpreter, then boots again after the boot delay. */
  private goDown(powerOnReason: number): void {
    if (this.closed || !this.instance) return;
    const p = this.persistedState() as Persisted;
    this.persisted = { ...p, apps: this.instance.readTree(APPS_DIR) };
    const kept = new Set(p.usr ?? []);
    this.files = Object.fromEntries(Object.entries(this.files).filter(([n]) => kept.has(n)));
    for (const [k, v] of Object.entries(this.currentCalls()))
      this.pastCalls.set(k, (this.pastCalls.get(k) ?? 0) + v);
    this.instance = undefined;
    this.bridgeAlive = false;
    this.stalled = false;
    const port = this.port;
    this.port = undefined;
    if (port) {
      // Let the reply that preceded the restart reach the host, then the port vanishes.
      port.push(null);
      setTimeout(() => port.destroy(), 5);
    }
    this.booting = new Promise<void>((resolve, reject) => {
      this.timer = setTimeout(() => {
        this.booting = undefined;
        this.boot(powerOnReason).then(resolve, reject);
      }, this.bootDelayMs);
    });
  }
}

const pyJson = (value: unknown): string => `_qsim._j.loads(${pythonString(JSON.stringify(value))})`;

const memOf = (answers: readonly unknown[]): number =>
  (answers[0] as { mem?: number } | undefined)?.mem ?? 0;
