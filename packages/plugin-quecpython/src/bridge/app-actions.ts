/**
 * The bridge's software-module actions: QuecPython applications installed under `/usr/apps`,
 * one directory per deployment unit, written over the link with a SHA-256 checksum checked on
 * the module, and run in a `_thread` each.
 *
 * Module-level code (the {@link appsPrelude}, class `_DU`) keeps the running apps: `_DU.T` maps
 * an app's name to its run token `k` (a list: `k[0]` the thread id, a second element once a stop
 * was asked), `_DU.X` to the error text its last run ended with. An app's main file runs with
 * `__name__ == '__main__'` and a global `cpekit_stop()` that turns true once the host asked it to
 * stop; an app that does not poll it is ended with `_thread.stop_thread` after a grace period.
 *
 * Actions (arguments `p`, results JSON):
 * - `duPut {f, o, d, h}`: writes base64 `d` at offset `o` of file `f` (0 truncates; otherwise
 *   the file must be `o` bytes long, so a repeated chunk is refused); with `h` (the last chunk)
 *   it then checks the file's SHA-256 against hex `h`, and on a mismatch removes the file and
 *   raises `checksum mismatch <module's hash>`. Answers the file's length.
 * - `duCommit {a, m}`: writes manifest `m` to the staging directory `/usr/apps/.<a>` and moves
 *   it to `/usr/apps/<a>` (replacing an older version).
 * - `duRemove {a, s}`: removes `/usr/apps/<a>` (its staging directory when `s`).
 * - `duList {}`: `{a: {name: {m: manifest, r: 0|1, e: error}}, fs: [KiB total, KiB free] | null,
 *   mem: [alloc, free], q: qpyver}`.
 * - `euStart {a, w}`: starts the app (its manifest's `m`, default `main.py`), waits `w` ms
 *   (default 100) and answers `{r: running, e: error}`.
 * - `euStop {a, w}`: asks the app to stop, waits up to `w` ms (default 3000), then kills its
 *   thread; answers `{r: 0, e, s: 'idle' | 'flag' | 'killed'}`.
 * At boot the bridge starts every app whose manifest says `as: 1` (AutoStart).
 * @module
 */
import type { BridgeAction } from "./bridge-map.js";

/** Where the apps live on the module. */
export const APPS_DIR = "/usr/apps";

/** The name of an app's manifest file inside its directory. */
export const APP_MANIFEST_FILE = ".du.json";

/**
 * Module-level helpers the app actions use (inserted before the tables). They live in ONE
 * class used as a namespace: every module-level name enlarges the bridge's globals table, which
 * grows in steps of kilobytes on the module's heap.
 */
export const appsPrelude = [
  "class _DU:",
  ` P='${APPS_DIR}/'`,
  " T={}",
  " X={}",
  " def ok(f):",
  "  if f[:10]!=_DU.P or '..' in f:raise E('bad path')",
  "  return f",
  " def isd(f):",
  "  try:return uos.stat(f)[0]&16384",
  "  except Exception:return -1",
  " def rm(f):",
  "  d=_DU.isd(f)",
  "  if d>0:",
  "   for x in uos.listdir(f):_DU.rm(f+'/'+x)",
  "   uos.rmdir(f)",
  "  elif d==0:uos.remove(f)",
  " def run(n,k,f):",
  "  try:exec(open(f).read(),{'__name__':'__main__','cpekit_stop':lambda:len(k)>1})",
  "  except Exception as x:_DU.X[n]=_es(x)",
  "  if _DU.T.get(n) is k:del _DU.T[n]",
  " def mf(n):",
  `  return ujson.load(open(_DU.P+n+'/${APP_MANIFEST_FILE}'))`,
  " def auto():",
  "  for n in uos.listdir(_DU.P[:-1]):",
  "   try:",
  "    if n[0]!='.' and _DU.mf(n).get('as'):_A['euStart'][0]({'a':n,'w':0})",
  "   except Exception as x:_DU.X[n]=_es(x)",
  "_BT.append(_DU.auto)",
].join("\n");

const action = (name: string, lines: readonly string[]): BridgeAction => ({
  name,
  body: lines.join("\n"),
});

/** The software-module actions (see the module comment for their arguments and results). */
export const appActions: readonly BridgeAction[] = [
  action("duPut", [
    "import ubinascii",
    "f=_DU.ok(p['f']);o=p['o']",
    "if o:",
    " if uos.stat(f)[6]!=o:raise E('offset')",
    "else:",
    " d=''",
    " for s in f.split('/')[1:-1]:",
    "  d+='/'+s",
    "  if _DU.isd(d)<0:uos.mkdir(d)",
    "w=open(f,'ab' if o else 'wb')",
    "try:w.write(ubinascii.a2b_base64(p['d']))",
    "finally:w.close()",
    "h=p.get('h')",
    "if h:",
    " import uhashlib",
    " s=uhashlib.sha256();r=open(f,'rb')",
    " try:",
    "  while 1:",
    "   b=r.read(512)",
    "   if not b:break",
    "   s.update(b)",
    " finally:r.close()",
    " s=ubinascii.hexlify(s.digest()).decode()",
    " if s!=h:uos.remove(f);raise E('checksum mismatch '+s)",
    "return uos.stat(f)[6]",
  ]),
  action("duCommit", [
    "n=p['a'];s=_DU.ok(_DU.P+'.'+n);d=_DU.P+n",
    `w=open(s+'/${APP_MANIFEST_FILE}','w')`,
    "try:w.write(ujson.dumps(p['m']))",
    "finally:w.close()",
    "_DU.rm(d);uos.rename(s,d)",
    "return 0",
  ]),
  action("duRemove", [
    "d=_DU.ok(_DU.P+('.' if p.get('s') else '')+p['a']);_DU.rm(d)",
    "if d in sys.path:sys.path.remove(d)",
    "return 0",
  ]),
  action("duList", [
    "r={};t=_DU.T",
    "for n in uos.listdir(_DU.P[:-1]) if _DU.isd(_DU.P[:-1])>0 else []:",
    " if n[0]!='.':",
    "  try:m=_DU.mf(n)",
    "  except Exception:m=None",
    "  r[n]={'m':m,'r':int(n in t),'e':_DU.X.get(n)}",
    "try:v=uos.statvfs('/usr');v=[v[0]*v[2]//1024,v[0]*v[3]//1024]",
    "except Exception:v=None",
    "return {'a':r,'fs':v,'mem':[gc.mem_alloc(),gc.mem_free()],'q':_un('qpyver')}",
  ]),
  action("euStart", [
    "n=p['a'];t=_DU.T",
    "if n not in t:",
    " d=_DU.P+n;f=_DU.ok(d+'/'+_DU.mf(n).get('m','main.py'));uos.stat(f)",
    " if d not in sys.path:sys.path.append(d)",
    " k=[0];t[n]=k;_DU.X.pop(n,None)",
    " k[0]=_thread.start_new_thread(_DU.run,(n,k,f))",
    " utime.sleep_ms(p.get('w',100))",
    "return {'r':int(n in t),'e':_DU.X.get(n)}",
  ]),
  action("euStop", [
    "n=p['a'];t=_DU.T;k=t.get(n);s='idle'",
    "if k:",
    " k.append(1);w=utime.ticks_ms()",
    " while t.get(n) is k and utime.ticks_diff(utime.ticks_ms(),w)<p.get('w',3000):utime.sleep_ms(50)",
    " s='flag'",
    " if t.get(n) is k:_thread.stop_thread(k[0]);del t[n];s='killed'",
    "return {'r':0,'e':_DU.X.get(n),'s':s}",
  ]),
];
