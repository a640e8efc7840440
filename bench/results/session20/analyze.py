import re,sys,collections
sw=re.compile(r'\[(\d+)\].*?\s([\d.]+): sched_switch: prev_comm=(.*?) prev_pid=(\d+) .*?prev_state=(\S+) ==> next_comm=(.*?) next_pid=(\d+)')
wk=re.compile(r'\s([\d.]+): sched_wakeup: comm=(.*?) pid=(\d+) prio=\d+ target_cpu=(\d+)')
woken={}; running={0:None,1:None}; hist=collections.defaultdict(list)  # cpu -> [(t, comm)]
waits=[]
names={}
for line in open(sys.argv[1]):
    m=sw.search(line)
    if m:
        cpu,t,pc,pp,ps,nc,np=int(m[1]),float(m[2]),m[3],m[4],m[5],m[6],m[7]
        names[np]=nc; names[pp]=pc
        hist[cpu].append((t,nc,np))
        if np in woken:
            tw,tc=woken.pop(np)
            waits.append((t-tw,tw,np,nc,cpu,tc))
        if ps.startswith('R'):  # preempted: waiting again from now
            woken[pp]=(t,cpu)
        continue
    m=wk.search(line)
    if m:
        t,c,p,tc=float(m[1]),m[2],m[3],int(m[4])
        if p not in woken: woken[p]=(t,tc)
def on_cpu(cpu,a,b):
    c=collections.Counter(); h=hist[cpu]
    for i,(t,n,p) in enumerate(h):
        e=h[i+1][0] if i+1<len(h) else b
        s=max(t,a); e=min(e,b)
        if e>s: c[n]+=e-s
    return c
thr=float(sys.argv[2]) if len(sys.argv)>2 else 0.0005
req=[w for w in waits if w[3].startswith(('XNIO','loadgen-conn'))]
print("request-path wakeups", len(req), "waits >", thr*1e3, "ms:", sum(1 for w in req if w[0]>thr))
t0=min(h[0][0] for h in hist.values())
blame=collections.Counter()
for d,tw,p,n,cpu,tc in sorted(req):
    if d<=thr: continue
    oc=on_cpu(cpu,tw,tw+d); other=on_cpu(1-cpu,tw,tw+d)
    top=oc.most_common(2); blame[top[0][0] if top else '?']+=1
    print(f"+{tw-t0:6.3f}s wait {d*1e3:5.2f} ms {n:16s} cpu{cpu}: "+", ".join(f"{k} {v*1e3:.2f}" for k,v in top)+" | other cpu: "+", ".join(f"{k} {v*1e3:.2f}" for k,v in other.most_common(2)))
print(blame.most_common(10))
