"""Helper of scripts/bench-throughput.sh (standard library only).

  bench-throughput.py run RESULTS KEY TOOL LIMIT_S OUT [--stats URL]
                         [--expect COUNT SIZE] [--dst BUCKET/PREFIX]
                         [--moved-from BUCKET/PREFIX] -- CMD...
      Runs CMD (stdout to OUT.out, stderr to OUT.err), killed after LIMIT_S
      seconds; appends one JSON record to RESULTS: wall time, the child's CPU
      and peak RSS (its rusage, from wait4), what it copied (read from the
      tool's output) and, with --stats, the emulator's counters after the run.
      An s3cp run that exits non-zero (not killed at the limit) stops the
      benchmark. With --expect, a run that ended well (any tool) must have copied
      COUNT objects of SIZE bytes, measured by the store, not the tool: under
      --dst (on S3TOOL_ENDPOINT, by scripts/s3tool.py check), or, through the
      emulator (--stats, --null-copy), its count of copies and of bytes copied;
      otherwise the benchmark stops, before any figure is printed. With
      --moved-from (a move, copies forwarded to the store), the destination
      is counted on the store (--dst) even through the emulator, and the
      source prefix must be left empty.
  bench-throughput.py emu-check STATS_URL COUNT SIZE
      Exits non-zero unless the emulator (--null-copy) answered COUNT
      copies of SIZE bytes, as --expect with --stats does (for a run that
      `run` did not start: scripts/profile-bulk.sh's, under perf).
  bench-throughput.py table RESULTS SETTINGS_JSON
      Prints the markdown table of issue 11's benchmarks from RESULTS.
  bench-throughput.py concurrency-table RESULTS SETTINGS_JSON
      Prints scripts/bench-concurrency.sh's table: s3cp with each setting
      of requests in flight (the TOOL of each run), a row per setting.
"""
import json
import os
import re
import signal
import statistics
import subprocess
import sys
import threading
import time
import urllib.request


# --- run -------------------------------------------------------------------

def copied_and_failed(tool, out, err, rc):
    """(copied, failed, s3cp's summary or None) from a tool's output."""
    if tool == "s3cp":
        summary, last_copy, copies, failures = None, None, 0, 0
        for line in out.splitlines():
            if not line.startswith("{"):
                continue
            try:
                j = json.loads(line)
            except ValueError:
                continue
            if j.get("type") == "summary":
                summary = j
            elif j.get("type") == "copy":
                last_copy = j
                copies += j.get("status") == "copied"
                failures += j.get("status") == "failed"
        if summary:
            return summary["copied"], summary["failed"], summary
        if last_copy is None:  # not --json: "copied SRC -> DST ..."
            copies = len(re.findall(r"^copied ", out, re.M))
        # One object: its own line stands for the summary.
        return copies, failures + (rc != 0 and copies == 0), last_copy
    if tool == "s5cmd":  # "cp|mv SRC DST" per copy, 'ERROR "cp ...": ...' per failure
        return (len(re.findall(r"^(?:cp|mv) ", out, re.M)),
                len(re.findall(r"^ERROR ", err, re.M)), None)
    if tool == "aws-cli":  # "copy|move: SRC to DST", "copy|move failed: ..."
        return (len(re.findall(r"^(?:copy|move): ", out, re.M)),
                len(re.findall(r"(?:copy|move) failed: ", err)), None)
    if tool == "curl":  # -w '%{http_code}' ends stdout
        ok = rc == 0 and out.rstrip().endswith("200")
        return int(ok), int(not ok), None
    raise SystemExit(f"unknown tool {tool}")


def run(argv):
    results, key, tool, limit, out = argv[:5]
    rest = argv[5:]
    stats_url, measure_rss, expect, dst, moved_from = None, True, None, None, None
    while rest[0] != "--":
        if rest[0] == "--stats":
            stats_url, rest = rest[1], rest[2:]
        elif rest[0] == "--no-rss":
            measure_rss, rest = False, rest[1:]
        elif rest[0] == "--expect":
            expect, rest = (int(rest[1]), int(rest[2])), rest[3:]
        elif rest[0] == "--dst":
            dst, rest = rest[1], rest[2:]
        elif rest[0] == "--moved-from":
            moved_from, rest = rest[1], rest[2:]
        else:
            raise SystemExit(f"unknown option {rest[0]}")
    cmd = rest[1:]
    # Peak RSS from GNU time, whose child starts from its small memory: a
    # child of this process would inherit Python's high-water mark (the
    # kernel keeps the larger of the old and new image's across exec).
    wrap = ["/usr/bin/time", "-f", "%M", "-o", out + ".rss"] if measure_rss else []
    timed_out = threading.Event()
    with open(out + ".out", "wb") as o, open(out + ".err", "wb") as e:
        start = time.monotonic()
        pid = os.posix_spawnp((wrap + cmd)[0], wrap + cmd, os.environ, setpgroup=0,
                              file_actions=[(os.POSIX_SPAWN_DUP2, o.fileno(), 1),
                                            (os.POSIX_SPAWN_DUP2, e.fileno(), 2)])

        def kill(*_):
            os.killpg(pid, signal.SIGKILL)

        def stop(signum, _frame):  # the script is stopped: so is the run
            kill()
            sys.exit(128 + signum)

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        timer = threading.Timer(float(limit), lambda: (timed_out.set(), kill()))
        timer.start()
        _, status, ru = os.wait4(pid, 0)
        wall = time.monotonic() - start
        timer.cancel()
    rc = os.waitstatus_to_exitcode(status)
    rss_mib = None
    if measure_rss and os.path.exists(out + ".rss"):
        last = open(out + ".rss").read().split()
        rss_mib = int(last[-1]) / 1024 if last and last[-1].isdigit() else None
    text_out = open(out + ".out", errors="replace").read()
    text_err = open(out + ".err", errors="replace").read()
    # bench-concurrency.sh names s3cp's runs by their setting.
    kind = tool if tool in ("s5cmd", "aws-cli", "curl") else "s3cp"
    copied, failed, summary = copied_and_failed(kind, text_out, text_err, rc)
    emu = None
    if stats_url:
        with urllib.request.urlopen(stats_url, timeout=10) as r:
            emu = json.load(r)
    rec = {"key": key, "tool": tool, "rc": rc, "timed_out": timed_out.is_set(),
           "wall": wall, "cpu": ru.ru_utime + ru.ru_stime, "rss_mib": rss_mib,
           "copied": copied, "failed": failed, "summary": summary, "emu": emu,
           "stderr_tail": text_err[-300:] if rc != 0 else ""}
    with open(results, "a") as f:
        f.write(json.dumps(rec) + "\n")
    what = "timeout" if rec["timed_out"] else f"rc {rc}"
    print(f"  {key} {tool}: {what}, {wall:.2f} s, {copied} copied, {failed} failed",
          file=sys.stderr)
    if kind == "s3cp" and rc != 0 and not rec["timed_out"]:
        sys.exit(f"s3cp failed ({key} {tool}, rc {rc}): {text_err[-1000:]}")
    # A peer's failure shows in its cell; what a run that ended well claims
    # is checked.
    if expect and not rec["timed_out"] and rc == 0:
        check(key, tool, expect, dst, emu, moved_from)


def store_check(bucket_prefix, count, size):
    """scripts/s3tool.py check: exactly COUNT objects of SIZE bytes, listed
    from the store (S3TOOL_ENDPOINT)."""
    bucket, prefix = bucket_prefix.split("/", 1)
    tool_py = os.path.join(os.path.dirname(os.path.abspath(__file__)), "s3tool.py")
    return subprocess.run([sys.executable, tool_py, "check", bucket, prefix,
                           str(count), str(size)]).returncode == 0


def check(key, tool, expect, dst, emu, moved_from=None):
    """Stops the benchmark unless the run copied what `expect` says (and, for
    a move, left its source empty)."""
    count, size = expect
    if moved_from:
        if not dst:
            sys.exit("--moved-from needs --dst")
        if not store_check(dst, count, size):
            sys.exit(f"{key} {tool}: the destination does not hold what was moved")
        if not store_check(moved_from, 0, size):
            sys.exit(f"{key} {tool}: the source s3://{moved_from} is not empty after the move")
    elif emu is not None:
        # --null-copy: the emulator answered each copy; its counters are
        # what the store saw (an object of several parts counts its parts).
        copies, copied_bytes = emu["null_copies"], emu["bytes_copied"]
        if copies < count or copied_bytes != count * size:
            sys.exit(f"{key} {tool}: the emulator saw {copies} copies of {copied_bytes} bytes "
                     f"in all, not {count} objects of {size} bytes: no figure for it")
    elif dst:
        if not store_check(dst, count, size):
            sys.exit(f"{key} {tool}: the destination does not hold what was copied")
    else:
        sys.exit("--expect needs --stats (the emulator) or --dst")


def emu_check(argv):
    url, count, size = argv[0], int(argv[1]), int(argv[2])
    with urllib.request.urlopen(url, timeout=10) as r:
        emu = json.load(r)
    check("emu-check", "s3cp", (count, size), None, emu)


# --- table -----------------------------------------------------------------

TOOLS = ["s3cp", "s5cmd", "aws-cli", "curl"]


class Results:
    def __init__(self, path):
        self.recs = [json.loads(line) for line in open(path)]

    def runs(self, key, tool):
        return [r for r in self.recs if r["key"] == key and r["tool"] == tool]

    def cell(self, key, tool, metric, fmt):
        """The median of metric(run) over the runs that ended, or why none did."""
        runs = self.runs(key, tool)
        if not runs:
            return None, "–"
        good = [r for r in runs if not r["timed_out"] and (r["rc"] == 0 or r["copied"])]
        if not good:
            r = runs[0]
            if r["timed_out"]:
                return None, "timeout"
            why = " ".join(r["stderr_tail"].split())[-90:].replace("|", "/")
            return None, f"failed (rc {r['rc']}: {why})"
        values = [v for v in map(metric, good) if v is not None]
        if not values:
            return None, "–"
        value = statistics.median(values)
        return value, fmt(value)


def objects_per_s(r):
    return r["copied"] / r["wall"]


def cpu_ms_per_object(r):
    return 1000 * r["cpu"] / max(1, r["copied"])


def throttled_pct(r):
    e = r["emu"]
    return 100.0 * e["throttled"] / max(1, e["requests_total"])


def fmt_int(v):
    return f"{v:,.0f}"


def fmt_1(v):
    return f"{v:,.1f}"


def fmt_2(v):
    return f"{v:,.2f}"


def table(argv):
    res = Results(argv[0])
    s = json.loads(argv[1])
    rows = []

    def row(num, bench, measured, goal, key, metric, fmt, ok=None, tools=TOOLS,
            note=None, details=""):
        """One metric, the peers side by side; ok(value, values) judges s3cp's
        value against the goal; note(tool, values) adds to a tool's cell."""
        values, cells = {}, []
        for t in TOOLS:
            values[t], cell = res.cell(key, t, metric, fmt) if t in tools else (None, "–")
            cells.append(cell)
        if note:
            cells = [c + note(t, values) if values[t] is not None else c
                     for t, c in zip(TOOLS, cells)]
        if not ok:
            met = "(reported)"
        elif values["s3cp"] is None:
            met = "not measured"
        else:
            met = "**met**" if ok(values["s3cp"], values) else "short"
        rows.append([num, bench, measured, goal, *cells, met, details])

    def settled(key):
        """s3cp's settled concurrency and requests; each tool's peak in flight."""
        bits = []
        for t in ("s3cp", "s5cmd", "aws-cli"):
            runs = [r for r in res.runs(key, t) if not r["timed_out"]]
            if not runs:
                continue
            r = runs[-1]
            sm = r["summary"]
            if t == "s3cp" and sm and sm.get("parts"):
                bits.append(f"s3cp: {sm['parts']:,} parts of {sm['part_size'] / 2**20:,.0f} MiB")
            elif t == "s3cp" and sm and sm.get("type") == "summary":
                bits.append(f"s3cp settled at {sm['concurrency']} in flight, "
                            f"{sm['requests']:,} requests ({sm['retries']:,} retries)")
            if r["emu"]:
                bits.append(f"{t} peaked at {r['emu']['max_in_flight']} in flight at s3emu")
        return "; ".join(bits)

    n_loop, n_emu = s["loop_objects"], s["emu_objects"]
    size = s["object_size_kib"]
    peers = ["s3cp", "s5cmd"]

    # 1. Loopback Garage.
    bench = (f"Loopback Garage, {n_loop:,} × {size} KiB prefix copy, defaults "
             f"(median of {s['loop_runs']} runs)")
    row(1, bench, "objects/s", "≥ 1.3 × s5cmd", "loop", objects_per_s, fmt_int,
        ok=lambda v, vs: vs["s5cmd"] is not None and v >= 1.3 * vs["s5cmd"], tools=peers,
        note=lambda t, vs: f" ({vs[t] / vs['s5cmd']:.2f} × s5cmd)"
        if t == "s3cp" and vs["s5cmd"] else "",
        details=settled("loop"))
    row(1, bench, "client CPU ms/object", "≤ 0.3", "loop", cpu_ms_per_object, fmt_2,
        ok=lambda v, _: v <= 0.3, tools=peers)
    row(1, bench, "peak RSS MiB", "≤ 30", "loop", lambda r: r["rss_mib"], fmt_1,
        ok=lambda v, _: v <= 30, tools=peers)

    # 2. Emulator, null copy, no rate limit.
    for ms in s["latencies"]:
        key = f"emu-{ms}"
        bench = (f"s3emu {ms} ms ± {ms / 4:g}, null copy, no rate limit, "
                 f"{n_emu:,} × {size} KiB, defaults")
        if ms != 20:
            row(2, bench, "objects/s", "(reported; ≥ 8,000 at 20 ms)", key, objects_per_s,
                fmt_int, details=settled(key))
            continue
        row(2, bench, "objects/s", "≥ 8,000", key, objects_per_s, fmt_int,
            ok=lambda v, _: v >= 8000, details=settled(key))
        row(2, bench, "client CPU ms/object", "≤ 0.10", key, cpu_ms_per_object, fmt_2,
            ok=lambda v, _: v <= 0.10)
        small = {t: res.cell("emu-small", t, lambda r: r["rss_mib"], fmt_1)[0] for t in TOOLS}
        row(2, bench, f"peak RSS MiB (in brackets: {n_loop:,} objects)",
            "≤ 40", key, lambda r: r["rss_mib"], fmt_1,
            ok=lambda v, _: v <= 40,
            note=lambda t, _: f" ({small[t]:.1f})" if small[t] is not None else "")

    # 3. Emulator, write-rate limit.
    for wr in s["write_rates"]:
        key = f"rate-{wr}"
        goal = {1000: 900, 3500: 3000}.get(wr, 0.9 * wr)
        bench = (f"s3emu 20 ms ± 5, null copy, {wr:,} writes/s per prefix, "
                 f"{n_emu:,} × {size} KiB, defaults")
        row(3, bench, "goodput objects/s", f"≥ {goal:,.0f}", key, objects_per_s, fmt_int,
            ok=lambda v, _, g=goal: v >= g, details=settled(key))
        row(3, bench, "% of requests throttled (s3emu's count)", "≤ 5%", key, throttled_pct,
            lambda v: f"{v:.1f}%", ok=lambda v, _: v <= 5)
        row(3, bench, "failed objects", "0", key, lambda r: r["failed"], fmt_int,
            ok=lambda v, _: v == 0)

    # 4. Synthetic large object.
    gib = s["big_bytes"] / 2**30
    bench = (f"s3emu 20 ms ± 5, 150 MiB/s per request, 3 GiB/s cap, null copy of a "
             f"synthetic {gib:,.0f} GiB object, defaults")
    row(4, bench, "GiB/s", "≥ 2.5", "big", lambda r: gib / r["wall"], fmt_2,
        ok=lambda v, _: v >= 2.5, tools=["s3cp", "s5cmd", "aws-cli"], details=settled("big"))

    # 5. One small copy, whole process.
    bench = (f"One {size} KiB copy, whole process, loopback Garage "
             f"(median of {s['single_runs']} runs, interleaved)")
    row(5, bench, "ms", "≤ 1.0 × curl's one signed CopyObject", "single",
        lambda r: 1000 * r["wall"], fmt_1,
        ok=lambda v, vs: vs["curl"] is not None and v <= vs["curl"],
        tools=["s3cp", "s5cmd", "curl"],
        note=lambda t, vs: f" ({vs[t] / vs['curl']:.2f} × curl)"
        if t != "curl" and vs["curl"] else "")

    # Issue 24's goals where it set one (rows 1, 2 and 5), issue 11's elsewhere.
    head = ["#", "benchmark", "measured", "goal (issues 11, 24)", *TOOLS, "s3cp vs goal",
            "details"]
    print("| " + " | ".join(head) + " |")
    print("|" + "---|" * len(head))
    previous = None
    for r in rows:
        bench, previous = ("" if r[1] == previous else r[1]), r[1]  # said once per group
        print("| " + " | ".join(str(c) for c in [r[0], bench, *r[2:]]) + " |")


def concurrency_table(argv):
    res = Results(argv[0])
    s = json.loads(argv[1])
    lat = s["latencies"].split()
    head = ["requests in flight", "loopback objects/s", "loopback CPU ms/object",
            "loopback peak RSS MiB",
            *[f"s3emu {ms} ms objects/s" for ms in lat],
            f"{s['write_rate']:,} writes/s: goodput objects/s", "throttled", "failed",
            "settled at (loopback / " + " / ".join(f"{ms} ms" for ms in lat) + " / limited)"]
    print("| " + " | ".join(head) + " |")
    print("|" + "---|" * len(head))

    def settled(key, t):
        runs = [r for r in res.runs(key, t) if r["summary"]]
        return str(runs[-1]["summary"].get("concurrency", "?")) if runs else "–"

    for t in s["settings"].split():
        cells = [t if t != "adaptive" else "adaptive (default)"]
        cells.append(res.cell("loop", t, objects_per_s, fmt_int)[1])
        cells.append(res.cell("loop", t, cpu_ms_per_object, fmt_2)[1])
        cells.append(res.cell("loop", t, lambda r: r["rss_mib"], fmt_1)[1])
        cells += [res.cell(f"emu-{ms}", t, objects_per_s, fmt_int)[1] for ms in lat]
        cells.append(res.cell("rate", t, objects_per_s, fmt_int)[1])
        cells.append(res.cell("rate", t, throttled_pct, lambda v: f"{v:.1f}%")[1])
        cells.append(res.cell("rate", t, lambda r: r["failed"], fmt_int)[1])
        cells.append(" / ".join(settled(k, t) for k in ["loop", *[f"emu-{ms}" for ms in lat],
                                                         "rate"]))
        print("| " + " | ".join(cells) + " |")


if __name__ == "__main__":
    {"run": run, "emu-check": emu_check, "table": table,
     "concurrency-table": concurrency_table}[sys.argv[1]](sys.argv[2:])
