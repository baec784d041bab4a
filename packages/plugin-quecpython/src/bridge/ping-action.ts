/**
 * The bridge's `ipPing` action: ICMP echo from the module with QuecPython's `uping`
 * (`uping.ping(HOST, SOURCE=None, COUNT=4, INTERVAL=1000, SIZE=64, TIMEOUT=5000, quiet=False)`;
 * with `quiet=True` it returns `result(tx, rx, losses, min, avg, max)`, times in ms, `None`
 * when no reply came).
 *
 * The host is resolved first with `usocket.getaddrinfo`, so a name that does not resolve is told
 * apart from a ping that fails: it raises `resolve: ...` (the host maps it to
 * `Error_CannotResolveHostName`). Arguments `p` (all given): `h` host, `c` count, `t` time-out per echo
 * in ms, `s` packet size in bytes (uping's SIZE, ICMP header included), `i` interval in ms. Result:
 * `{a: address pinged, u: the module's own IPv4 address or null, tx, rx, mn, av, mx}`.
 * @module
 */
import type { BridgeAction } from "./bridge-map.js";

/** The `ipPing` action. */
export const ipPingAction: BridgeAction = {
  name: "ipPing",
  body: [
    "try:import uping",
    "except ImportError:raise E('no uping module')",
    "import usocket",
    "h=p['h']",
    "try:a=usocket.getaddrinfo(h,0)[0][-1]",
    "except Exception as x:raise E('resolve: '+_es(x))",
    "try:u=_ip(dataCall.getInfo(1,0)[2][2])",
    "except Exception:u=None",
    "r=uping.ping(h,COUNT=p['c'],INTERVAL=p['i'],SIZE=p['s'],TIMEOUT=p['t'],quiet=True)",
    "if hasattr(r,'start'):r=r.start()",
    "return {'a':a[0] if isinstance(a,tuple) else str(a),'u':u,'tx':r[0],'rx':r[1],'mn':r[3],'av':r[4],'mx':r[5]}",
  ].join("\n"),
};
