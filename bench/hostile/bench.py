#!/usr/bin/python3
"""Slow, idle, huge and malformed clients against `otts serve` (issue 11 part 2 and 4): each
case against a fresh in-memory server per binary, figures printed as a markdown table, plus
`POST /token` under wrk. The clients are those of the black-box test
(tests/blackbox/hostile_clients.py), at the sizes of the issue.

Usage: bench/hostile/run OTTS_BIN [OTTS_BIN_BEFORE]     (OTTS_BIN '-': the 'before' column only)
"""

import os
import re
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE = os.path.dirname(os.path.dirname(HERE))
sys.dont_write_bytecode = True  # nothing written into the source tree
sys.path.insert(0, os.path.join(SOURCE, "tests", "blackbox"))
import hostile_clients as hc  # noqa: E402

MB = 1000 * 1000


class Server:
    """`otts -q serve --port 0 --ws-port 0 --in-memory` (or --db FILE), optionally under a lower
    RLIMIT_NOFILE; stopped (SIGTERM, then SIGKILL) on leaving the `with`."""

    def __init__(self, binary, tmp, nofile=None, db=False):
        self.binary, self.tmp, self.nofile, self.db = binary, tmp, nofile, db

    def __enter__(self):
        out_path = os.path.join(self.tmp, "serve.out")
        self.out = open(out_path, "w+")
        self.err = open(os.path.join(self.tmp, "serve.err"), "a")
        store = ["--db", os.path.join(self.tmp, "bench.db")] if self.db else ["--in-memory"]
        nofile = self.nofile

        def limit():
            if nofile:
                resource.setrlimit(resource.RLIMIT_NOFILE, (nofile, nofile))

        env = dict(os.environ, OTTS_HOME=os.path.join(self.tmp, "home"))
        self.proc = subprocess.Popen([self.binary, "-q", "serve", "--port", "0", "--ws-port", "0"] + store,
                                     stdout=self.out, stderr=self.err, stdin=subprocess.DEVNULL, env=env,
                                     preexec_fn=limit)
        self.pid = self.proc.pid
        deadline = time.monotonic() + 15
        self.url = self.ws_url = None
        while time.monotonic() < deadline and self.proc.poll() is None:
            with open(out_path) as f:
                text = f.read()
            m1 = re.search(r"^otts serve listening on (\S+)$", text, re.M)
            m2 = re.search(r"^otts serve websocket on (\S+)$", text, re.M)
            if m1 and m2:
                self.url, self.ws_url = m1.group(1), m2.group(1)
                self.idle_rss = hc.rss_mib(self.pid)
                return self
            time.sleep(0.02)
        self.__exit__()
        raise RuntimeError(f"{self.binary} serve did not start")

    def __exit__(self, *exc):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.out.close()
        self.err.close()
        return False

    def status(self):
        """'' if the server is still running, else how it ended."""
        rc = self.proc.poll()
        if rc is None:
            return ""
        return f" (server died: {'signal ' + str(-rc) if rc < 0 else 'exit ' + str(rc)})"


def mib(v):
    return "?" if v is None else f"{v:,.0f} MB" if v >= 10 else f"{v:.1f} MB"


def secs(v):
    return "?" if v is None else f"{v:.2f} s" if v < 10 else f"{v:.1f} s"


def human_bytes(n):
    if n is None:
        return "?"
    if n >= MB:
        return f"{n / MB:,.1f} MB"
    return f"{n / 1024:,.0f} KiB"


# --- the cases: each takes a started Server and returns the text of its cell ---------------------


def case_flood(srv):
    r = hc.flood(srv.url, 2000, 500, probes=200, probe_timeout=10, cap=60, interval=3, reconnect=True,
                 pid=srv.pid)
    if "error" in r:
        return r["error"]
    ready = r["attack_ready"]
    end = r.get("attack_end", {})
    text = (f"answered {r['answered']}/{r['probes']}, p50 {fmt_ms(r['p50_ms'])}, p99 {fmt_ms(r['p99_ms'])}, "
            f"max {fmt_ms(r['max_ms'])} in {secs(r['seconds'])}")
    if r["errors"]:
        text += " (" + ", ".join(f"{k} ×{v}" for k, v in r["errors"].items()) + ")"
    text += f"; {ready['idle_open']} idle + {ready['slow_open']} slow open"
    if ready.get("connect_errors"):
        text += f", {ready['connect_errors']} connect errors"
    if end.get("closed_by_server"):
        text += f"; server closed {end['closed_by_server']:,} of them (reopened)"
    text += f"; server CPU {secs(r['server_cpu_seconds'])}, peak RSS {mib(r['peak_rss_mib'])}"
    return text + srv.status()


def fmt_ms(v):
    return v if isinstance(v, str) or v is None else f"{v:g} ms"


def stream_cell(srv, kind, total, clients, timeout):
    r = hc.stream_request(srv.url, kind, total, clients=clients, piece=64 * 1024, timeout=timeout, pid=srv.pid)
    parts = []
    for c in r["clients"]:
        status = c.get("status", "no answer")
        bit = f"{status}"
        if "answered_after_bytes" in c:
            bit += f" after {human_bytes(c['answered_after_bytes'])} sent"
        elif c.get("error"):
            bit += f" ({c['error']}, {human_bytes(c.get('sent'))} sent)"
        bit += f" at {secs(c.get('seconds'))}"
        parts.append(bit)
    if clients > 1 and len(set(parts)) == 1:
        parts = [f"{clients} × " + parts[0]]
    return "; ".join(parts) + f"; peak RSS {mib(r['peak_rss_mib'])}" + srv.status()


def case_chunked_1(srv):
    return stream_cell(srv, "chunked", 300 * MB, 1, 120)


def case_chunked_4(srv):
    return stream_cell(srv, "chunked", 300 * MB, 4, 180)


def case_header(srv):
    return stream_cell(srv, "header", 300 * MB, 1, 120)


def case_slow_ws(srv):
    r = hc.slow_ws_reader(srv.url, srv.ws_url, pid=srv.pid, message=32 * 1024, max_pushes=20000, after_410=3,
                          rcvbuf=4096, drain_timeout=5, timeout=120)
    statuses = ", ".join(f"{k} ×{v:,}" for k, v in sorted(r["statuses"].items()))
    text = f"{r['pushes']:,} pushes in {secs(r.get('push_seconds'))}: {statuses}"
    if "first_410_at" in r:
        text += f"; first 410 at push {r['first_410_at']:,}, then {r.get('after_410')}"
    if "push_error" in r:
        text += f"; push error {r['push_error']}"
    c = r.get("client", {})
    if c.get("close_code") is not None:
        text += f"; client sees close {c['close_code']} after {c['messages']:,} messages"
    elif c.get("closed"):
        text += f"; client sees the stream end ({c['closed']}) after {c['messages']:,} messages, no close frame"
    else:
        text += f"; client read {c.get('messages', 0):,} messages and no close in 5 s"
    return text + f"; peak RSS {mib(r['peak_rss_mib'])}" + srv.status()


def case_fds(srv):
    r = hc.fd_exhaust(srv.url, srv.ws_url, srv.pid, n_conns=400, window=5, health_timeout=2)
    first = r["health_first"]
    first_text = f"{first['status']} in {first['seconds'] * 1000:.0f} ms" if "status" in first else first["error"]
    return (f"{r['connected']} connected, server holds {r['server_files']}/{r['server_nofile']} files; "
            f"server CPU {secs(r['server_cpu_seconds'])} over {secs(r['wall_seconds'])}; "
            f"health: first {first_text}, answered {r['health_answered']}/{r['health_polls']} polls") + srv.status()


def case_small(srv):
    """Several quick request-level cases on one server: a dict of cells."""
    cells = {}
    p = hc.pipeline(srv.url, ["/_otts/health", "/nonexistent-a", "/token"])
    n = len(p["statuses"])
    cells["pipeline"] = f"{n} response{'s' if n != 1 else ''}: {p['statuses']}" + (f" then {p['error']}" if "error" in p else "")
    r = hc.stream_request(srv.url, "chunked", 200 * 1024, piece=8192, timeout=10)
    c = r["clients"][0]
    cells["chunked_200k"] = f"{c.get('status', c.get('error'))} at {secs(c.get('seconds'))}"
    for name, header, size in (("header_17k", "X-Big", 17 * 1024), ("auth_20k", "Authorization", 20 * 1024),
                               ("cookie_20k", "Cookie", 20 * 1024)):
        h = hc.big_header_request(srv.url, header, size)
        cells[name] = str(h.get("status", h.get("error")))
    m = hc.raw_request(srv.url, b"GARBAGE\r\n\r\n", timeout=10, close_wait=6)
    if "status" in m:
        cells["malformed"] = (f"{m['status']} in {m['seconds'] * 1000:.0f} ms, connection "
                              + (f"closed {m['closed_after_seconds']:.1f} s after the answer" if m["closed_after"]
                                 else "still open 6 s after the answer"))
    else:
        cells["malformed"] = f"{m['error']} after {secs(m['seconds'])}"
    k = hc.ws_bad_key(srv.ws_url, "abc")
    cells["ws_key"] = str(k.get("status", k.get("error")))
    return cells


def wrk_post_token(srv):
    wrk = shutil.which("wrk") or "/usr/bin/wrk"
    out = subprocess.run([wrk, "-t2", "-c64", "-d5s", "--latency", "-s",
                          os.path.join(SOURCE, "bench", "http", "post_token.lua"), srv.url + "/token"],
                         capture_output=True, text=True, timeout=60).stdout
    rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
    p99 = re.search(r"^\s+99%\s+(\S+)", out, re.M)
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    text = f"{float(rps.group(1)):,.0f} req/s, p99 {p99.group(1)}" if rps and p99 else "wrk failed"
    if non2xx:
        text += f" ({non2xx.group(1)} non-2xx)"
    return text


ROWS = [
    ("flood", "2,000 idle keep-alive + 500 slowloris (1 byte / 3 s) connections; 200 sequential "
              "`GET /_otts/health` on new connections (10 s timeout each, 60 s cap)",
     "all answered, p99 ≤ 50 ms; RSS < 150 MB"),
    ("chunked_1", "300 MB chunked `POST /token` body, streamed", "413 once 64 KiB passed; RSS < 150 MB"),
    ("chunked_4", "4 × 300 MB chunked bodies at once", "413 each; RSS < 150 MB"),
    ("header", "one 300 MB header line, streamed", "431 once 16 KiB passed; RSS < 150 MB"),
    ("slow_ws", "WebSocket client that never reads (4 KiB receive buffer); up to 20,000 × 32 KB "
                "`POST /@connections/{id}`", "close 1008 once its queue passes ~1 MiB, pushes then 410; RSS < 150 MB"),
    ("fds", "`ulimit -n 200`, 400 connections to the WebSocket port; 5 s window",
     "no spinning (CPU ≈ 0); `GET /_otts/health` answers"),
    ("pipeline", "3 pipelined GETs in one write (`/_otts/health`, `/nonexistent-a`, `GET /token`)",
     "3 responses in order: [200, 404, 405]"),
    ("chunked_200k", "200 KB chunked body", "413"),
    ("header_17k", "17 KiB header", "431"),
    ("auth_20k", "20 KiB `Authorization` header", "431"),
    ("cookie_20k", "20 KiB `Cookie` header", "431"),
    ("malformed", "malformed request line (`GARBAGE`)", "400 at once, connection closed"),
    ("ws_key", "WebSocket `Sec-WebSocket-Key: abc`", "400"),
    ("wrk", "`POST /token`, wrk -t2 -c64 -d5s (two runs, interleaved)", "no regression"),
]


def run_cases(binary, tmp, log):
    cells = {}

    def one(name, fn, **server):
        log(f"  {name} ...")
        start = time.monotonic()
        try:
            with Server(binary, tmp, **server) as srv:
                cells[name] = fn(srv)
        except Exception as e:  # a case that breaks is reported, the others still run
            cells[name] = f"error: {type(e).__name__}: {e}"
        log(f"  {name}: {time.monotonic() - start:.0f} s: {cells[name]}")

    one("flood", case_flood)
    one("chunked_1", case_chunked_1)
    one("chunked_4", case_chunked_4)
    one("header", case_header)
    one("slow_ws", case_slow_ws)
    one("fds", case_fds, nofile=200)
    log("  quick cases ...")
    try:
        with Server(binary, tmp) as srv:
            cells.update(case_small(srv))
    except Exception as e:
        for name in ("pipeline", "chunked_200k", "header_17k", "auth_20k", "cookie_20k", "malformed", "ws_key"):
            cells[name] = f"error: {e}"
    return cells


def main(argv):
    if not argv or len(argv) > 2:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    binaries = [("after", argv[0])] + ([("before", argv[1])] if len(argv) > 1 else [])
    binaries = [(label, b) for label, b in binaries if b != "-"]
    for _, b in binaries:
        if not os.access(b, os.X_OK):
            print(f"bench: {b} is not an executable", file=sys.stderr)
            return 2
    soft, hard = hc.raise_nofile()

    def log(msg):
        print(msg, file=sys.stderr, flush=True)

    notes = [f"client RLIMIT_NOFILE {soft} (hard {hard})"]
    if soft < 2600:
        notes.append(f"**the client's file limit ({soft}) is under the 2,600 sockets the flood case needs: "
                     "its connection counts show how many it could open**")
    results = {}
    with tempfile.TemporaryDirectory(prefix="otts-hostile.") as tmp:
        for label, b in binaries:
            log(f"{label}: {b}")
            results[label] = run_cases(b, tmp, log)
        # wrk: interleaved, twice, each against a fresh server with a SQLite file (as bench/http).
        runs = {label: [] for label, _ in binaries}
        for _ in range(2):
            for label, b in binaries:
                with tempfile.TemporaryDirectory(prefix="otts-wrk.", dir=tmp) as wtmp:
                    with Server(b, wtmp, db=True) as srv:
                        runs[label].append(wrk_post_token(srv))
                log(f"  wrk {label}: {runs[label][-1]}")
        for label in runs:
            results[label]["wrk"] = " / ".join(runs[label])

    cols = [label for label, _ in binaries]
    header = "| case | target | " + " | ".join(
        f"{'otts (after)' if c == 'after' else 'before'}: `{dict(binaries)[c]}`" for c in cols) + " |"
    print(header)
    print("|" + "---|" * (2 + len(cols)))
    for name, what, target in ROWS:
        print(f"| {what} | {target} | " + " | ".join(results[c].get(name, "-").replace("|", "/") for c in cols) + " |")
    print()
    for n in notes:
        print(n)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
