/**
 * The fixed part of the generated bridge, in MicroPython: framing (see `link/frame.ts`),
 * normalisation helpers, request dispatch, events and the serial loop. The generator inserts
 * the map's tables where `#TABLES#` stands. Written compact (one-space indents, no comments)
 * because it is sent to and compiled on a module with little heap; this file is the commented
 * reference:
 *
 * - `_crc`: CRC-16/CCITT-FALSE with a 16-entry nibble table (small ints only).
 * - `_w(id, obj)`: writes one frame under a lock, since dataCall/net callbacks run on other
 *   threads and their event frames must not interleave with replies.
 * - `S(name)`: memoised source calls for one request, so a batched get of rssi/rsrp/rsrq calls
 *   `net.getSignal()` once.
 * - `_n`, `_u`, `_ip`: -1 becomes an error, 99/255 and '0.0.0.0' become None (JSON null).
 * - `_up`: uptime from `utime.ticks_ms()`, accumulated with `ticks_diff` so the 2^30 ms tick
 *   wrap does not reset it (as long as it is read at least once per wrap period).
 * - `feed(line)`: handles one frame; a frame with a bad length or checksum gets an error reply
 *   (when its id is readable) so the host fails fast instead of timing out.
 * - `start()`: registers the callbacks, sends the unsolicited hello (id 0), then runs the boot
 *   hooks the map's prelude put in `_BT` (e.g. starting the apps marked AutoStart).
 * - `main(stream=sys.stdin)`: `start()`, then reads frames from the REPL port's stdin forever
 *   (`gc.collect()` after each). Ctrl-C (0x03) still interrupts it (frames never contain 0x03),
 *   which is how the host regains the REPL. The stream parameter lets a test drive the loop.
 * @module
 */

/** The bridge protocol version, sent in hello. */
export const BRIDGE_VERSION = "1";

/** Modules the runtime imports (the map's snippets may use any of these). */
export const runtimeImports = [
  "sys",
  "gc",
  "utime",
  "ujson",
  "uos",
  "_thread",
  "modem",
  "sim",
  "net",
  "dataCall",
  "misc",
  "fota",
  "app_fota",
] as const;

/** The runtime source; `#TABLES#` is replaced by the generated tables. */
export const bridgeRuntimeSource = `import sys,gc,utime,ujson,uos,_thread,modem,sim,net,dataCall
from misc import Power
try:import fota
except ImportError:fota=None
try:import app_fota
except ImportError:app_fota=None
V='${BRIDGE_VERSION}'
class E(Exception):pass
_L=_thread.allocate_lock()
_M={}
_RS=[0]
_BT=[]
_T=[]
for n in range(16):
 c=n<<12
 for i in range(4):c=((c<<1)^4129 if c&32768 else c<<1)&65535
 _T.append(c)
_T=tuple(_T)
def _crc(b):
 c=65535
 for x in b:
  c=((c<<4)&65535)^_T[(c>>12)^(x>>4)]
  c=((c<<4)&65535)^_T[(c>>12)^(x&15)]
 return c
def _w(i,o):
 s=ujson.dumps(o);b=s.encode()
 h='\\x1e%d %d %04x '%(i,len(b),_crc(b))
 del b
 _L.acquire()
 try:
  sys.stdout.write(h);sys.stdout.write(s);sys.stdout.write('\\n')
 finally:_L.release()
def _n(x):
 if x==-1:raise E('failed')
 return x
def _u(x):
 return None if x in(99,255) else x
def _ip(a):
 return None if a in('0.0.0.0','') else a
def _un(k):
 for f in uos.uname():
  f=str(f)
  if f.startswith(k+'='):return f[len(k)+1:]
 return None
_U=[utime.ticks_ms(),utime.ticks_ms()]
def _up():
 t=utime.ticks_ms();_U[0]+=utime.ticks_diff(t,_U[1]);_U[1]=t
 return _U[0]//1000
def S(k):
 if k not in _M:_M[k]=_n(_SRC[k]())
 return _M[k]
def _es(x):
 return str(x) if isinstance(x,E) else type(x).__name__+':'+str(x)
#TABLES#
def _hello(m):
 return {'t':'hello','v':V,'keys':list(_G),'set':list(_SK),'act':list(_A),'mem':gc.mem_alloc(),'up':utime.ticks_ms()}
def _get(m):
 v={};e={}
 for k in m['k']:
  g=_G.get(k)
  if g is None:e[k]='unknown key';continue
  try:v[k]=g()
  except Exception as x:e[k]=_es(x)
 return {'t':'get','v':v,'e':e}
def _set(m):
 e={};q={};d=m['v']
 for k in d:
  s=_SK.get(k)
  if s is None:e[k]='not writable'
  else:q.setdefault(s,{})[k]=d[k]
 for s in q:
  try:_n(_S[s](q[s]))
  except Exception as x:
   for k in q[s]:e[k]=_es(x)
 return {'t':'set','e':e}
def _act(m):
 a=_A.get(m['a'])
 if a is None:raise E('unknown action')
 r=a[0](m.get('p') or {})
 _RS[0]=a[1]
 return {'t':'act','r':r}
_D={'hello':_hello,'get':_get,'set':_set,'act':_act}
def feed(l):
 i=l.find('\\x1e')
 if i<0:return
 h=l[i+1:].rstrip('\\r\\n').split(' ',3)
 try:n=int(h[0])
 except Exception:return
 _RS[0]=0
 try:
  b=h[3].encode()
  if int(h[1])!=len(b) or int(h[2],16)!=_crc(b):raise E('bad frame')
  del b
  m=ujson.loads(h[3]);del h
  r=_D[m['t']](m)
 except Exception as x:r={'t':'err','e':_es(x)}
 _M.clear()
 _w(n,r)
 if _RS[0]:
  _RS[0]=0;utime.sleep_ms(300);Power.powerRestart()
def _ev(n,p):
 try:_w(0,{'t':'ev','n':n,'p':p})
 except Exception:pass
def start():
 try:dataCall.setCallback(lambda a:_ev('data',[a[0],a[1]]))
 except Exception:pass
 try:net.setCallback(lambda a:_ev('net',list(a)))
 except Exception:pass
 _w(0,_hello(0))
 for f in _BT:
  try:f()
  except Exception:pass
def main(r=None):
 start()
 r=r or sys.stdin
 while 1:
  l=r.readline()
  if l:
   feed(l if isinstance(l,str) else l.decode())
   gc.collect()
  else:utime.sleep_ms(20)
`;
