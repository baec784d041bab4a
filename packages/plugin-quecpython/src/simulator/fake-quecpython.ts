/**
 * Fake QuecPython modules, in MicroPython, for the simulated module. They follow the documented
 * APIs and return shapes (docs/quecpython.md part 2): -1 on failure, 99/255 for unknown signal,
 * `net.getState()` and `dataCall.getInfo()` tuples, `fota(reset_disable=1)` as a callable
 * module, `from misc import Power`. State lives in the dict `S` of module `_qsim`: the host sets
 * it at boot (identity, persisted APN and firmware) and reads the persisted part back before a
 * restart. `C` counts calls per API. Host-facing helpers answer on stdout with lines that start
 * with 0x1F, which the simulator takes off the port.
 *
 * Time is virtual: `utime.sleep_ms` advances an offset instead of blocking the Node event loop,
 * and `utime.ticks_ms` starts at 0 on every boot, so uptime resets on restart.
 *
 * The WebAssembly port has no threads: `_thread.start_new_thread` runs the function at once until
 * it ends or calls `utime.sleep*`, where it parks (the sleep raises `_Park`, a BaseException the
 * app's `except Exception` does not catch); a parked thread counts as running until
 * `_thread.stop_thread` ends it. `ubinascii` is written out here (the port's `binascii` is Python
 * code too heavy to import inside a request); `S['corrupt']` makes its next `a2b_base64` flip a
 * bit, as a damaged transfer would. `usocket` and `uping` are files on `sys.path` (below), loaded
 * only when the bridge imports them.
 * @module
 */

/** The module `_qsim` (installs the fakes into `sys.modules` on import). */
export const fakeQuecPythonSource = String.raw`import sys,gc,utime as _ut,uos as _uo,json as _j
S={}
C={}
_B=[_ut.ticks_ms(),0]
_R=[1]
class _Park(BaseException):pass
_TH={}
_TC=[0,0]
def hit(n):C[n]=C.get(n,0)+1
def _nap(n):
 if _TC[1]:raise _Park
 _B[1]+=n
def out(o):sys.stdout.write('\x1fSIM '+_j.dumps(o)+'\n')
def rnd(n):
 _R[0]=(_R[0]*1103515245+12345)&1073741823
 return _R[0]%n
def drift(k,lo,hi):
 v=S[k]+rnd(3)-1
 S[k]=lo if v<lo else hi if v>hi else v
 return S[k]
def init(cfg):
 S.update(cfg);_R[0]=S.get('seed',1)
def persist():
 fw=S.get('fwNext') if S.get('_restart') else None
 out({'persist':{'pdp':S['pdp'],'fw':fw or S['fw'],'appFlag':S.get('appFlag',0),'usr':_uo.listdir('/usr')}})
def threads():out({'threads':len(_TH)})
def counters():out({'calls':C})
def mem():
 gc.collect();out({'mem':gc.mem_alloc()})
def data(up):
 S['dataUp']=up
 f=S.get('_dcb')
 if f:f([1,1 if up else 0])
def netev(a):
 f=S.get('_ncb')
 if f:f(a)
class utime:
 @staticmethod
 def ticks_ms():return _ut.ticks_diff(_ut.ticks_ms(),_B[0])+_B[1]
 @staticmethod
 def ticks_diff(a,b):return _ut.ticks_diff(a,b)
 @staticmethod
 def ticks_add(a,b):return _ut.ticks_add(a,b)
 @staticmethod
 def sleep_ms(n):_nap(n)
 @staticmethod
 def sleep(n):_nap(int(n*1000))
 @staticmethod
 def time():return utime.ticks_ms()//1000
 @staticmethod
 def localtime(*a):return _ut.localtime(*a)
 @staticmethod
 def mktime(t):return _ut.mktime(t)
class uos:
 @staticmethod
 def uname():
  hit('uos.uname')
  return ('sysname='+S['model']+'-CNLC','nodename='+S['model'],'release=1.13.0','version=v1.13 on 2024-03-01','machine='+S['hw'],'qpyver='+S['qpy'])
 @staticmethod
 def listdir(d='/'):return _uo.listdir(d)
 @staticmethod
 def remove(p):
  hit('uos.remove');return _uo.remove(p)
 @staticmethod
 def stat(p):return _uo.stat(p)
 @staticmethod
 def mkdir(p):return _uo.mkdir(p)
 @staticmethod
 def rename(a,b):return _uo.rename(a,b)
 @staticmethod
 def rmdir(p):return _uo.rmdir(p)
 @staticmethod
 def statvfs(p):
  hit('uos.statvfs');return (4096,4096,S.get('fsBlocks',256),S.get('fsFree',200),S.get('fsFree',200),0,0,0,0,255)
def _id(api,k):
 hit(api);return S.get(k,-1)
class modem:
 @staticmethod
 def getDevImei():return _id('modem.getDevImei','imei')
 @staticmethod
 def getDevSN():return _id('modem.getDevSN','sn')
 @staticmethod
 def getDevModel():return _id('modem.getDevModel','model')
 @staticmethod
 def getDevFwVersion():return _id('modem.getDevFwVersion','fw')
 @staticmethod
 def getDevProductId():return _id('modem.getDevProductId','manufacturer')
def _simok(api,k):
 hit(api);return S.get(k,-1) if S['simStatus']==1 else -1
class sim:
 @staticmethod
 def getStatus():
  hit('sim.getStatus');return S['simStatus']
 @staticmethod
 def getImsi():return _simok('sim.getImsi','imsi')
 @staticmethod
 def getIccid():return _simok('sim.getIccid','iccid')
 @staticmethod
 def getPhoneNumber():return _simok('sim.getPhoneNumber','msisdn')
class net:
 @staticmethod
 def getSignal(*a):
  hit('net.getSignal')
  if S.get('noSignal'):return ([99,99,255,255],[99,255,255,255])
  return ([99,99,255,255],[drift('rssi',-110,-51),drift('rsrp',-140,-44),drift('rsrq',-20,-3),255])
 @staticmethod
 def csqQueryPoll():
  hit('net.csqQueryPoll')
  if S.get('noSignal'):return 99
  v=(S['rssi']+113)//2
  return 0 if v<0 else 31 if v>31 else v
 @staticmethod
 def getState():
  hit('net.getState');r=S['reg']
  return ([r,S['lac'],S['cid'],7,0,0],[r,S['lac'],S['cid'],7,0,0])
 @staticmethod
 def operatorName():
  hit('net.operatorName')
  return tuple(S['operator']) if S['reg'] in(1,5) else -1
 @staticmethod
 def getServingCi():
  hit('net.getServingCi');return S['cid']
 @staticmethod
 def getServingLac():
  hit('net.getServingLac');return S['lac']
 @staticmethod
 def setCallback(f):
  S['_ncb']=f;return 0
class dataCall:
 @staticmethod
 def getInfo(pid,t):
  hit('dataCall.getInfo')
  if S.get('dataUp'):return (pid,t,[1,0,S['ip'],'8.8.8.8','8.8.4.4'])
  return (pid,t,[0,0,'0.0.0.0','0.0.0.0','0.0.0.0'])
 @staticmethod
 def getPDPContext(pid):
  hit('dataCall.getPDPContext')
  return tuple(S['pdp']) if pid==1 else -1
 @staticmethod
 def setPDPContext(pid,ipt,apn,user,pwd,auth):
  hit('dataCall.setPDPContext')
  if pid!=1 or type(apn)is not str or len(apn)>62 or auth not in(0,1,2,3):return -1
  S['pdp']=[ipt,apn,user,pwd,auth];return 0
 @staticmethod
 def setCallback(f):
  S['_dcb']=f;return 0
class checkNet:
 @staticmethod
 def waitNetworkReady(timeout=60):
  hit('checkNet.waitNetworkReady');return (3,1) if S.get('dataUp') else (3,0)
class Power:
 @staticmethod
 def powerRestart():
  hit('Power.powerRestart');S['_restart']=1
  raise SystemExit
 @staticmethod
 def powerOnReason():
  hit('Power.powerOnReason');return S.get('por',1)
 @staticmethod
 def getVbatt():
  hit('Power.getVbatt');return 3800+rnd(40)
class misc:
 Power=Power
class fota:
 def __init__(s,reset_disable=0):s.rd=reset_disable
 def httpDownload(s,url1=None,url2=None,callback=None):
  hit('fota.httpDownload');f=S.get('fota') or {'ok':1}
  if f.get('refuse'):return -1
  if f.get('ok'):
   callback([0,50]);callback([0,100]);S['fwNext']=f.get('fw') or S['fw']+'-U'
  else:callback([3,f.get('code',504)])
  return 0
class _AppFota:
 def download(s,url,name):
  hit('app_fota.download');return -1 if S.get('appFotaFail') else 0
 def set_update_flag(s):
  hit('app_fota.set_update_flag');S['appFlag']=1
class app_fota:
 @staticmethod
 def new():return _AppFota()
class _Log:
 def __init__(s,n):s.n=n
 def info(s,*a):print('[%s] INFO'%s.n,*a)
 def debug(s,*a):print('[%s] DEBUG'%s.n,*a)
 def warning(s,*a):print('[%s] WARN'%s.n,*a)
 def error(s,*a):print('[%s] ERROR'%s.n,*a)
class log:
 DEBUG=10;INFO=20;WARNING=30;ERROR=40
 @staticmethod
 def basicConfig(level=20):pass
 @staticmethod
 def getLogger(n):return _Log(n)
 @staticmethod
 def set_output(o):pass
class _Lock:
 def acquire(s,*a):return True
 def release(s):pass
 def locked(s):return False
class _thread:
 @staticmethod
 def allocate_lock():return _Lock()
 @staticmethod
 def get_ident():return 1
 @staticmethod
 def stack_size(n=0):return 8448
 @staticmethod
 def start_new_thread(f,a):
  hit('_thread.start_new_thread');_TC[0]+=1;i=_TC[0];_TH[i]=1;_TC[1]+=1
  try:
   f(*a);_TH.pop(i,None)
  except _Park:pass
  except Exception:_TH.pop(i,None)
  finally:_TC[1]-=1
  return i
 @staticmethod
 def stop_thread(i):
  hit('_thread.stop_thread');_TH.pop(i,None)
 @staticmethod
 def threadIsRunning(i):return i in _TH
_A64='ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'
class ubinascii:
 @staticmethod
 def hexlify(b):return ''.join('%02x'%x for x in b).encode()
 @staticmethod
 def a2b_base64(s):
  o=bytearray();v=0;n=0
  for c in s:
   if c=='=':break
   v=((v<<6)|_A64.index(c))&65535;n+=6
   if n>=8:n-=8;o.append((v>>n)&255)
  if S.get('corrupt') and o:
   S['corrupt']=0;o[0]^=1
  return bytes(o)
for _k,_v in (('utime',utime),('uos',uos),('modem',modem),('sim',sim),('net',net),('dataCall',dataCall),('checkNet',checkNet),('misc',misc),('fota',fota),('app_fota',app_fota),('log',log),('_thread',_thread),('ubinascii',ubinascii)):sys.modules[_k]=_v
`;

/**
 * The module `usocket` (only `getaddrinfo`): `localhost` and IPv4 literals resolve, so do
 * the names in `S['hosts']`; anything else raises `OSError(-202)` as lwIP's resolver does. A
 * file on `sys.path` rather than a fake in `sys.modules`, so it costs the heap only once
 * imported (the bridge imports it in the ping action).
 */
export const fakeUsocketSource = `from _qsim import S,hit
AF_INET=2
SOCK_STREAM=1
SOCK_DGRAM=2
def resolve(h):
 if h=='localhost':return '127.0.0.1'
 p=h.split('.')
 if len(p)==4 and all(x.isdigit() and int(x)<256 for x in p):return h
 return S.get('hosts',{}).get(h)
def getaddrinfo(h,port,*a):
 hit('usocket.getaddrinfo');ip=resolve(h)
 if ip is None:raise OSError(-202)
 return [(2,1,0,'',(ip,port))]
`;

/**
 * The module `uping` (`ping(HOST, SOURCE, COUNT, INTERVAL, SIZE, TIMEOUT, quiet)`): loopback
 * addresses and those in `S['pingable']` answer every echo in 0.25-0.45 ms, others never
 * answer; time passes on the module's virtual clock (INTERVAL per answered echo, TIMEOUT +
 * INTERVAL per lost one). With `quiet` it returns `(tx, rx, losses, min, avg, max)` like
 * uping's result tuple; a host that does not resolve raises `OSError`.
 */
export const fakeUpingSource = `import _qsim
from usocket import resolve
def ping(HOST,SOURCE=None,COUNT=4,INTERVAL=1000,SIZE=64,TIMEOUT=5000,quiet=False):
 _qsim.hit('uping.ping');ip=resolve(HOST)
 if ip is None:raise OSError(-202)
 assert SIZE>=16,'pkt size too small'
 up=ip.startswith('127.') or ip in _qsim.S.get('pingable',[])
 t=[]
 for i in range(COUNT):
  if up:t.append(0.25+_qsim.rnd(200)/1000);_qsim._B[1]+=INTERVAL
  else:_qsim._B[1]+=TIMEOUT+INTERVAL
 n=len(t);r=(COUNT,n,(COUNT-n)*100//COUNT,round(min(t),3) if n else None,round(sum(t)/n,3) if n else None,round(max(t),3) if n else None)
 if quiet:return r
 print('%u packets transmitted, %u packets received, %u packet loss'%(r[0],r[1],r[2]))
`;
