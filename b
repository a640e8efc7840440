10385 2 java
10386 222 java
10387 8 GC Thread#0
10388 0 G1 Main Marker
10389 2 G1 Conc#0
10390 0 G1 Refine#0
10391 1 G1 Service
10392 3 VM Thread
10393 0 Reference Handl
10394 0 Finalizer
10395 0 Signal Dispatch
10396 0 Service Thread
10397 1 Monitor Deflati
10398 218 C2 CompilerThre
10399 106 C1 CompilerThre
10400 0 Sweeper thread
10401 3 Notification Th
10402 6 VM Periodic Tas
10403 0 Common-Cleaner
10410 11 GC Thread#1
10412 0 mysql-cj-abando
10413 0 log-router:hous
10420 0 process reaper
10424 0 background~reso
10426 15 backlog-gate
10427 0 live-tail
10433 196 flusher
10437 7 XNIO-1 I/O-1
10438 0 XNIO-1 I/O-2
10439 0 XNIO-1 Accept
10445 128 queue-prefetch
