/**
 * The device: a networked temperature sensor, as its vendor's driver would expose it. Here it
 * is simulated in memory; a real plugin would talk to the hardware (a serial port, I2C, a local
 * HTTP API) behind the same small interface.
 * @module
 */

/** What the driver can do with the sensor. */
export interface TemperatureSensor {
  readonly serialNumber: string;
  /** The installed firmware version. */
  readonly firmware: () => string;
  /** The current reading, whole degrees Celsius. */
  readonly readCelsius: () => number;
  readonly enabled: () => boolean;
  readonly setEnabled: (on: boolean) => void;
  /** The reading above which the sensor raises its alarm. */
  readonly highAlarm: () => number;
  readonly setHighAlarm: (celsius: number) => void;
  /** When the sensor last started (power-on, restart or factory reset). */
  readonly resetTime: () => Date;
  readonly restart: () => void;
  readonly factoryReset: () => void;
  /** Installs a firmware image (`TSFW <version>`); throws on anything else. */
  readonly install: (image: Uint8Array) => void;
  readonly close: () => void;
}

/** The range the sensor can measure, and so the alarm values it accepts. */
export const SENSOR_RANGE = { min: -40, max: 125 } as const;

const FACTORY = { enabled: true, highAlarm: 60 };

/** Opens a (simulated) sensor reading around `celsius`. */
export const openTemperatureSensor = (options: {
  readonly celsius: number;
  readonly serialNumber?: string;
}): TemperatureSensor => {
  let firmware = "1.0.0";
  let enabled = FACTORY.enabled;
  let highAlarm = FACTORY.highAlarm;
  let resetTime = new Date();
  let reads = 0;
  return {
    serialNumber: options.serialNumber ?? "TS-000042",
    firmware: () => firmware,
    // A reading that wanders a degree around the configured temperature.
    readCelsius: () => Math.round(options.celsius + Math.sin(reads++)),
    enabled: () => enabled,
    setEnabled: (on) => {
      enabled = on;
    },
    highAlarm: () => highAlarm,
    setHighAlarm: (celsius) => {
      highAlarm = celsius;
    },
    resetTime: () => resetTime,
    restart: () => {
      resetTime = new Date();
    },
    factoryReset: () => {
      ({ enabled, highAlarm } = FACTORY);
      resetTime = new Date();
    },
    install: (image) => {
      const match = /^TSFW (\d+\.\d+\.\d+)$/.exec(new TextDecoder().decode(image).trim());
      if (match?.[1] === undefined) throw new Error("not a TSFW firmware image");
      firmware = match[1];
    },
    close: () => {},
  };
};
