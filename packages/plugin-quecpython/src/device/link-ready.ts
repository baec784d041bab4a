/**
 * Waiting for the module: a module drops its port while it restarts (reboot, firmware
 * upgrade), so a request made in that window waits for the link to come back, for a bounded
 * time, instead of failing at once.
 * @module
 */
import type { BridgeLink, LinkNotice } from "../link/bridge-link.js";
import { BridgeLinkError } from "../link/bridge-link-error.js";

/**
 * Runs `request` once the link is connected (waiting at most `timeoutMs` for it). A request
 * cut off because the port vanished under it (`Disconnected`: the module restarted) is made
 * once more when the module is back.
 */
export const whenLinkReady = async <A>(
  link: BridgeLink,
  timeoutMs: number,
  request: () => Promise<A>,
): Promise<A> => {
  if (link.state !== "connected") await link.whenConnected(timeoutMs);
  try {
    return await request();
  } catch (cause) {
    if (!(cause instanceof BridgeLinkError) || cause.reason !== "Disconnected") throw cause;
    await link.whenConnected(timeoutMs);
    return request();
  }
};

/**
 * Resolves once the module has gone down and come back (the link went `reconnecting`, then
 * `connected`), or rejects with a `Timeout` BridgeLinkError after `timeoutMs`. Subscribe BEFORE asking for the restart: the
 * returned `wait` only sees notices sent after the call.
 */
export const watchRestart = (
  link: BridgeLink,
): { readonly wait: (timeoutMs: number) => Promise<void>; readonly cancel: () => void } => {
  let down = false;
  let up = false;
  let wake: (() => void) | undefined;
  const off = link.subscribe((n: LinkNotice) => {
    if (n.kind !== "state") return;
    if (n.state === "reconnecting") down = true;
    if (n.state === "connected" && down) {
      up = true;
      wake?.();
    }
  });
  return {
    cancel: off,
    wait: (timeoutMs) =>
      new Promise<void>((resolve, reject) => {
        if (up) {
          off();
          resolve();
          return;
        }
        const timer = setTimeout(() => {
          off();
          reject(
            new BridgeLinkError({
              reason: "Timeout",
              detail: `the module did not come back within ${timeoutMs} ms`,
            }),
          );
        }, timeoutMs);
        wake = () => {
          clearTimeout(timer);
          off();
          resolve();
        };
      }),
  };
};
