import re,sys,collections
sw=re.compile(r'\[(\d+)\].*?\s([\d.]+): sched_switch: prev_comm=(.*?) prev_pid=(\d+) .*?prev_state=(\S+) ==> next_comm=(.*?) next_pid=(\d+)')
start={}; st=collections.defaultdict(list); t0=None
for line in open(sys.argv[1]):
    m=sw.search(line)
    if not m: continue
    cpu,t=int(m[1]),float(m[2]); t0=t0 or t
    pc,np,nc=m[3],m[7],m[6]
    if cpu in start:
        s,c=start[cpu]; st[c].append((t-s,s-t0,m[5]))
    start[cpu]=(t,nc)
for c in sys.argv[2:]:
    L=sorted(st[c],reverse=True)
    print(c, "stints", len(L), "total %.1f ms"%(sum(x[0] for x in L)*1e3), "longest:", ", ".join("%.2fms@+%.2fs(%s)"%(d*1e3,s,e) for d,s,e in L[:8]))
