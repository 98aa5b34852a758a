"""The collector's pauses during each measured load, from the server's GC log and the loads' windows.

The server runs with -Xlog:gc:file=gc.log:utctime, so each pause line reads
"[2026-11-30T19:45:00.123+0000] GC(12) Pause Young (Normal) (G1 Evacuation Pause) 100M->50M(200M) 5.123ms";
the pause ended at the stamp. windows.txt has "NAME START END" (epoch seconds) per measured load.
"""
import datetime
import os
import re

PAUSE = re.compile(r"^\[([^\]]+)\] GC\(\d+\) Pause .* ([\d.]+)ms$")


def pauses_by_load(out):
    log, windows = os.path.join(out, "gc.log"), os.path.join(out, "windows.txt")
    if not (os.path.exists(log) and os.path.exists(windows)):
        return {}
    pauses = []
    for line in open(log):
        m = PAUSE.match(line.strip())
        if m:
            at = datetime.datetime.strptime(m.group(1), "%Y-%m-%dT%H:%M:%S.%f%z").timestamp()
            pauses.append((at, float(m.group(2))))
    result = {}
    for line in open(windows):
        name, start, end = line.split()
        inside = [ms for at, ms in pauses if float(start) <= at <= float(end)]
        seconds = float(end) - float(start)
        result[name] = {"pauses": len(inside), "max_ms": round(max(inside, default=0.0), 1),
                        "total_ms": round(sum(inside), 1),
                        "share": round(sum(inside) / 1000 / seconds, 3) if seconds > 0 else 0.0}
    return result
