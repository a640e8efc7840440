#!/usr/bin/env python3
"""Reads long counters of a running HotSpot JVM from its hsperfdata file, without attaching (jcmd starts a JVM of its
own, whose CPU would land in a benchmark's window). Usage: perfcounter.py PID NAME... ; prints one value per name.
java.ci.totalTime is in ticks of sun.os.hrt.frequency: pass 'jit_ms' for the JIT's total compile time in ms."""
import glob
import struct
import sys


def counters(pid):
    path = glob.glob(f"/tmp/hsperfdata_*/{pid}")[0]
    data = open(path, "rb").read()
    order = "<" if data[4] == 1 else ">"
    entry, entries = struct.unpack_from(order + "ii", data, 24)
    out = {}
    for _ in range(entries):
        length, name_off, vector_len, dtype, _flags, _units, _var, data_off = struct.unpack_from(order + "iiibbbbi", data, entry)
        name = data[entry + name_off:data.index(b"\0", entry + name_off)].decode()
        if vector_len == 0 and chr(dtype) == "J":
            out[name] = struct.unpack_from(order + "q", data, entry + data_off)[0]
        entry += length
    return out


if __name__ == "__main__":
    c = counters(sys.argv[1])
    for name in sys.argv[2:]:
        print(c["java.ci.totalTime"] * 1000 // c["sun.os.hrt.frequency"] if name == "jit_ms" else c[name])
