#!/usr/bin/python3
"""Hostile and awkward clients of `otts serve`, from raw sockets (stdlib only).

Shared by the black-box test tests/blackbox/test_hostile_clients.sh (small sizes, asserted
there) and the benchmark bench/hostile/run (large sizes, printed). Each check is a function
returning a dict of what it saw; `python3 hostile_clients.py CHECK ...` runs one and prints that
dict as JSON. Every check bounds its own time: a server that never answers makes a check report
a timeout, never hang.

Figures about the server (RSS, CPU time, open files) are read from /proc/PID of the server.
"""

import argparse
import base64
import errno
import json
import os
import resource
import selectors
import socket
import struct
import subprocess
import sys
import threading
import time
import urllib.parse

# --- the client's own limits -------------------------------------------------------------------


def raise_nofile():
    """Raises this process's RLIMIT_NOFILE soft limit to the hard limit; returns (soft, hard)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < hard:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
            soft = hard
        except (ValueError, OSError):
            pass
    return soft, hard


# --- the server process, from /proc --------------------------------------------------------------


def proc_status_kib(pid, field):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def rss_mib(pid):
    kib = proc_status_kib(pid, "VmRSS")
    return None if kib is None else round(kib / 1024, 1)


def hwm_mib(pid):
    kib = proc_status_kib(pid, "VmHWM")
    return None if kib is None else round(kib / 1024, 1)


def cpu_seconds(pid):
    """utime + stime of the whole process (all threads), in seconds."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def open_files(pid):
    try:
        return len(os.listdir(f"/proc/{pid}/fd"))
    except OSError:
        return None


def nofile_limit(pid):
    try:
        with open(f"/proc/{pid}/limits") as f:
            for line in f:
                if line.startswith("Max open files"):
                    return int(line.split()[3])
    except (OSError, ValueError):
        return None
    return None


def alive(pid):
    try:
        os.kill(pid, 0)
        return True
    except OSError:
        return False


class RssSampler:
    """Samples the server's VmRSS every `interval` seconds in a thread; `peak` is the largest
    seen, VmHWM included (the process's own peak, exact if the server was started for this case).
    """

    def __init__(self, pid, interval=0.01):
        self.pid, self.interval, self.peak = pid, interval, 0.0
        self._stop = threading.Event()
        self._thread = None

    def __enter__(self):
        if self.pid:
            self._thread = threading.Thread(target=self._run, daemon=True)
            self._thread.start()
        return self

    def _run(self):
        while not self._stop.is_set():
            self._take()
            self._stop.wait(self.interval)

    def _take(self):
        for value in (rss_mib(self.pid), hwm_mib(self.pid)):
            if value is not None and value > self.peak:
                self.peak = value

    def __exit__(self, *exc):
        self._stop.set()
        if self._thread:
            self._thread.join()
            self._take()
        return False

    def result(self):
        return self.peak if self.pid else None


# --- HTTP/1.1 by hand ------------------------------------------------------------------------------


def address(url):
    u = urllib.parse.urlsplit(url)
    return u.hostname, u.port


def parse_response(buf, eof=False):
    """One HTTP response at the start of `buf`: (status, headers, body, bytes used), or None if
    it is not complete yet."""
    end = buf.find(b"\r\n\r\n")
    if end < 0:
        return None
    head = bytes(buf[:end]).decode("latin-1").split("\r\n")
    parts = head[0].split(" ", 2)
    try:
        status = int(parts[1])
    except (IndexError, ValueError):
        status = -1  # not HTTP: reported as such
    headers = {}
    for line in head[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    at = end + 4
    if "chunked" in headers.get("transfer-encoding", "").lower():
        body = bytearray()
        while True:
            line_end = buf.find(b"\r\n", at)
            if line_end < 0:
                return None
            size = int(bytes(buf[at:line_end]).split(b";")[0] or b"0", 16)
            at = line_end + 2
            if size == 0:
                trailer_end = buf.find(b"\r\n", at)  # no trailers expected: just the blank line
                if trailer_end < 0:
                    return None
                return status, headers, bytes(body), trailer_end + 2
            if len(buf) < at + size + 2:
                return None
            body += buf[at:at + size]
            at += size + 2
    if "content-length" in headers:
        n = int(headers["content-length"])
        if len(buf) < at + n:
            return None
        return status, headers, bytes(buf[at:at + n]), at + n
    if 100 <= status < 200 or status in (204, 304):
        return status, headers, b"", at
    if eof:
        return status, headers, bytes(buf[at:]), len(buf)
    return None


class Conn:
    """A blocking client socket with a read buffer; every wait is bounded by a deadline."""

    def __init__(self, host, port, timeout=5.0, rcvbuf=None):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        if rcvbuf:
            self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
        self.sock.settimeout(timeout)
        self.sock.connect((host, port))
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.buf = bytearray()
        self.eof = False

    def send(self, data):
        self.sock.sendall(data)

    def fill(self, deadline):
        """One recv; raises TimeoutError past the deadline, EOFError at the end of the stream."""
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError("timed out")
        self.sock.settimeout(remaining)
        try:
            data = self.sock.recv(1 << 16)
        except socket.timeout:
            raise TimeoutError("timed out") from None
        if not data:
            self.eof = True
            raise EOFError("closed by the server")
        self.buf += data

    def response(self, deadline):
        """The next response: (status, headers, body)."""
        while True:
            r = parse_response(self.buf, self.eof)
            if r:
                del self.buf[:r[3]]
                return r[:3]
            if self.eof:
                raise EOFError(f"closed by the server ({len(self.buf)} bytes of a response)")
            self.fill(deadline)

    def closed_within(self, seconds):
        """True if the server closes (or resets) the connection within `seconds`, reading and
        dropping anything it still sends."""
        deadline = time.monotonic() + seconds
        try:
            while True:
                self.fill(deadline)
        except EOFError:
            return True
        except TimeoutError:
            return False
        except OSError:
            return True

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass


def request_bytes(method, path, host="127.0.0.1", headers=(), body=b"", close=False):
    lines = [f"{method} {path} HTTP/1.1", f"Host: {host}"]
    lines += [f"{k}: {v}" for k, v in headers]
    if body or method in ("POST", "PUT", "PATCH"):
        lines.append(f"Content-Length: {len(body)}")
    if close:
        lines.append("Connection: close")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


def describe_error(e):
    if isinstance(e, TimeoutError):
        return "timeout"
    if isinstance(e, EOFError):
        return str(e)
    if isinstance(e, OSError) and e.errno:
        return errno.errorcode.get(e.errno, str(e.errno))
    return type(e).__name__ + ": " + str(e)


def get_once(host, port, path="/_otts/health", timeout=10.0):
    """One GET on a new connection: {'status', 'seconds'} or {'error', 'seconds'}."""
    start = time.monotonic()
    deadline = start + timeout
    conn = None
    try:
        conn = Conn(host, port, timeout=timeout)
        conn.send(request_bytes("GET", path, host, close=True))
        status, _, _ = conn.response(deadline)
        return {"status": status, "seconds": time.monotonic() - start}
    except (OSError, EOFError, TimeoutError) as e:
        return {"error": describe_error(e), "seconds": time.monotonic() - start}
    finally:
        if conn:
            conn.close()


def percentile(values, p):
    if not values:
        return None
    values = sorted(values)
    k = max(0, min(len(values) - 1, int(round(p / 100 * len(values) + 0.5)) - 1))
    return values[k]


# --- check: one raw request ----------------------------------------------------------------------


def raw_request(url, data, timeout=5.0, close_wait=1.0):
    """Sends `data` in one write, reads one response: its status, how long it took, and whether
    the server then closes the connection (within `close_wait` s)."""
    host, port = address(url)
    start = time.monotonic()
    out = {"bytes_sent": len(data)}
    conn = None
    try:
        conn = Conn(host, port, timeout=timeout)
        try:
            conn.send(data)
        except OSError as e:  # the server may answer and close before it all went out
            out["send_error"] = describe_error(e)
        status, headers, body = conn.response(start + timeout)
        out.update(status=status, seconds=round(time.monotonic() - start, 3), body=body[:200].decode("latin-1"))
        answered = time.monotonic()
        out["closed_after"] = conn.closed_within(close_wait)
        if out["closed_after"]:
            out["closed_after_seconds"] = round(time.monotonic() - answered, 3)
    except (OSError, EOFError, TimeoutError) as e:
        out.update(error=describe_error(e), seconds=round(time.monotonic() - start, 3))
    finally:
        if conn:
            conn.close()
    return out


def big_header_request(url, header="X-Big", size=17 * 1024, path="/_otts/health"):
    value = "a" * size
    if header.lower() == "authorization":
        value = "Bearer " + value
    elif header.lower() == "cookie":
        value = "session=" + value
    return raw_request(url, request_bytes("GET", path, address(url)[0], headers=[(header, value)]))


# --- check: pipelining -----------------------------------------------------------------------------


def pipeline(url, paths, timeout=3.0):
    """All `paths` as GETs in one write; the statuses of the responses, in the order they came."""
    host, port = address(url)
    data = b"".join(request_bytes("GET", p, host) for p in paths)
    out = {"paths": paths, "statuses": []}
    conn = None
    deadline = time.monotonic() + timeout
    try:
        conn = Conn(host, port, timeout=timeout)
        conn.send(data)
        while len(out["statuses"]) < len(paths):
            status, _, _ = conn.response(deadline)
            out["statuses"].append(status)
    except (OSError, EOFError, TimeoutError) as e:
        out["error"] = describe_error(e)
    finally:
        if conn:
            conn.close()
    return out


# --- check: a request streamed in pieces (huge chunked bodies, huge header lines) --------------


def chunked_head(host, path="/token"):
    return (f"POST {path} HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\n"
            "Transfer-Encoding: chunked\r\n\r\n").encode()


def stream_request(url, kind, total, clients=1, piece=64 * 1024, timeout=30.0, pid=None,
                   pace_after=None, pace=0.0):
    """`clients` connections each stream a request of `total` bytes of `kind`:
    'chunked' (a chunked POST /token body) or 'header' (one header line of `total` bytes).
    Each stops sending as soon as the server answers or closes. Past `pace_after` bytes, each
    piece waits up to `pace` s for an answer first (a client slower than the server, so that
    'answered before the end' does not depend on socket buffer sizes).
    Reports per client: status, bytes sent when the answer came, whether it had sent it all."""
    host, port = address(url)
    if kind == "chunked":
        head = chunked_head(host)
        data = b"[" * piece
        framed = b"%x\r\n" % piece + data + b"\r\n"
        tail = b"0\r\n\r\n"
    elif kind == "header":
        head = f"POST /token HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\nX-Huge: ".encode()
        framed = b"a" * piece
        tail = b"\r\nContent-Length: 2\r\n\r\n{}"
    else:
        raise ValueError(kind)
    pieces_total = max(1, -(-total // piece))
    sel = selectors.DefaultSelector()
    start = time.monotonic()
    states = []
    for i in range(clients):
        s = socket.socket()
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        s.settimeout(5)
        try:
            s.connect((host, port))
        except OSError as e:
            states.append({"error": "connect: " + describe_error(e), "done": True})
            s.close()
            continue
        s.setblocking(False)
        st = {"sock": s, "out": memoryview(head), "pieces": 0, "sent": 0, "buf": bytearray(),
              "done": False, "all_sent": False, "next_at": 0.0}
        states.append(st)
        sel.register(s, selectors.EVENT_READ | selectors.EVENT_WRITE, st)

    def finish(st, why=None):
        if st["done"]:
            return
        st["done"] = True
        st["seconds"] = round(time.monotonic() - start, 3)
        head = bytes(st["buf"][:st["buf"].find(b"\r\n")]) if b"\r\n" in st["buf"] else b""
        if head:
            st["response"] = head.decode("latin-1")[:80]
            try:
                st["status"] = int(head.split(b" ", 2)[1])
            except (IndexError, ValueError):
                pass
        if why:
            st["error"] = why
        try:
            sel.unregister(st["sock"])
        except (KeyError, ValueError):
            pass

    def next_data(st):
        if st["pieces"] < pieces_total:
            st["pieces"] += 1
            return memoryview(framed)
        if not st["all_sent"]:
            st["all_sent"] = True
            return memoryview(tail)
        return None

    with RssSampler(pid) as rss:
        while any(not st["done"] for st in states):
            now = time.monotonic()
            if now - start > timeout:
                for st in states:
                    finish(st, "timeout")
                break
            wait = 0.05
            for st in states:
                if st["done"]:
                    continue
                want = selectors.EVENT_READ
                sending = len(st["out"]) > 0 or not st["all_sent"]
                if sending and now >= st["next_at"]:
                    want |= selectors.EVENT_WRITE
                elif sending:
                    wait = min(wait, max(0.0, st["next_at"] - now))
                sel.modify(st["sock"], want, st)
            for key, events in sel.select(wait):
                st = key.data
                if st["done"]:
                    continue
                s = st["sock"]
                if events & selectors.EVENT_READ:
                    try:
                        data = s.recv(1 << 16)
                    except BlockingIOError:
                        data = None
                    except OSError as e:
                        finish(st, describe_error(e))
                        continue
                    if data == b"":
                        finish(st, None if parse_response(st["buf"], True) else "closed without an answer")
                        continue
                    if data:
                        if not st["buf"]:
                            st["answered_after_bytes"] = st["sent"]
                        st["buf"] += data
                        if parse_response(st["buf"], False) or b"\r\n\r\n" in st["buf"]:
                            finish(st)  # the answer came: stop sending
                            continue
                if events & selectors.EVENT_WRITE:
                    try:
                        while True:
                            if not len(st["out"]):
                                nxt = next_data(st)
                                if nxt is None:
                                    break
                                st["out"] = nxt
                                if pace and pace_after is not None and st["sent"] >= pace_after:
                                    st["next_at"] = time.monotonic() + pace
                                    n = s.send(st["out"])
                                    st["sent"] += n
                                    st["out"] = st["out"][n:]
                                    break
                            n = s.send(st["out"])
                            st["sent"] += n
                            st["out"] = st["out"][n:]
                    except BlockingIOError:
                        pass
                    except OSError as e:
                        # Reset or broken pipe: what the server said may still be readable.
                        try:
                            s.setblocking(True)
                            s.settimeout(0.5)
                            while True:
                                data = s.recv(1 << 16)
                                if not data:
                                    break
                                if not st["buf"]:
                                    st["answered_after_bytes"] = st["sent"]
                                st["buf"] += data
                        except OSError:
                            pass
                        finish(st, "send: " + describe_error(e))
    for st in states:
        if "sock" in st:
            st["sock"].close()
    clients_out = [{k: st.get(k) for k in ("status", "seconds", "sent", "answered_after_bytes", "all_sent", "error",
                                                   "response")
                    if st.get(k) is not None} for st in states]
    return {"kind": kind, "total": total, "clients": clients_out, "peak_rss_mib": rss.result(),
            "server_alive": alive(pid) if pid else None}


# --- WebSocket by hand -----------------------------------------------------------------------------


def ws_handshake(ws_url, key=None, path="/", timeout=5.0, rcvbuf=None):
    """Opens a WebSocket: (Conn, status). The Conn's buffer holds what came after the head."""
    host, port = address(ws_url)
    if key is None:
        key = base64.b64encode(os.urandom(16)).decode()
    conn = Conn(host, port, timeout=timeout, rcvbuf=rcvbuf)
    conn.send((f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
               f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n").encode())
    deadline = time.monotonic() + timeout
    while b"\r\n\r\n" not in conn.buf:
        conn.fill(deadline)
    end = conn.buf.find(b"\r\n\r\n")
    status = int(bytes(conn.buf[:end]).split(b" ", 2)[1])
    if status != 101:
        r = parse_response(conn.buf, False)
        if r:
            del conn.buf[:r[3]]
    else:
        del conn.buf[:end + 4]
    return conn, status


def ws_bad_key(ws_url, key="abc"):
    out = {"key": key}
    try:
        conn, status = ws_handshake(ws_url, key=key)
        out["status"] = status
        conn.close()
    except (OSError, EOFError, TimeoutError, ValueError, IndexError) as e:
        out["error"] = describe_error(e)
    return out


def parse_frame_head(buf):
    """(fin, opcode, payload length, head length) of the frame at the start of buf, or None."""
    if len(buf) < 2:
        return None
    b0, b1 = buf[0], buf[1]
    n, at = b1 & 0x7F, 2
    if n == 126:
        if len(buf) < 4:
            return None
        n, at = struct.unpack(">H", bytes(buf[2:4]))[0], 4
    elif n == 127:
        if len(buf) < 10:
            return None
        n, at = struct.unpack(">Q", bytes(buf[2:10]))[0], 10
    if b1 & 0x80:
        at += 4
    return bool(b0 & 0x80), b0 & 0x0F, n, at


def ws_read_message(conn, deadline):
    """The next whole frame: (opcode, payload)."""
    while True:
        h = parse_frame_head(conn.buf)
        if h and len(conn.buf) >= h[3] + h[2]:
            payload = bytes(conn.buf[h[3]:h[3] + h[2]])
            del conn.buf[:h[3] + h[2]]
            return h[1], payload
        conn.fill(deadline)


def ws_drain(conn, timeout):
    """Reads everything the server sent, skipping message payloads, until a close frame, the end
    of the stream or `timeout`: {'close_code', 'closed', 'messages', 'bytes'}."""
    deadline = time.monotonic() + timeout
    out = {"messages": 0, "bytes": len(conn.buf)}
    skip = 0
    buf = conn.buf
    conn.sock.settimeout(timeout)
    try:
        while True:
            if skip:
                n = min(skip, len(buf))
                del buf[:n]
                skip -= n
            h = None if skip else parse_frame_head(buf)
            if h:
                fin, opcode, n, at = h
                if opcode == 0x8:
                    if len(buf) < at + n:
                        conn.fill(deadline)
                        continue
                    payload = bytes(buf[at:at + n])
                    out["close_code"] = struct.unpack(">H", payload[:2])[0] if n >= 2 else None
                    out["close_reason"] = payload[2:].decode("utf-8", "replace")
                    return out
                if opcode in (0x1, 0x2, 0x0) and fin:
                    out["messages"] += 1
                del buf[:min(len(buf), at)]
                skip = n
                continue
            before = len(buf)
            conn.fill(deadline)
            out["bytes"] += len(buf) - before
    except EOFError:
        out["closed"] = "eof"
    except TimeoutError:
        out["closed"] = None
        out["timed_out"] = True
    except OSError as e:
        out["closed"] = describe_error(e)
    return out


def slow_ws_reader(url, ws_url, pid=None, message=32 * 1024, max_pushes=2000, after_410=3, rcvbuf=4096,
                   drain_timeout=5.0, timeout=60.0):
    """A WebSocket client that reads its Connected message and then nothing more, while a
    backend pushes `message`-byte messages to it (POST /@connections/{id}) until a push answers
    410 (then `after_410` more, which should answer 410 too) or `max_pushes` were made. Then
    the client reads its socket: does a close frame (which code) or the end of the stream come?"""
    host, port = address(url)
    out = {"message_bytes": message, "statuses": {}, "pushes": 0}
    start = time.monotonic()
    ws, status = ws_handshake(ws_url, rcvbuf=rcvbuf)
    out["handshake"] = status
    if status != 101:
        return out
    opcode, payload = ws_read_message(ws, time.monotonic() + 5)
    cid = json.loads(payload)["connectionId"]
    body = b"x" * message
    push = None
    with RssSampler(pid) as rss:
        try:
            push = Conn(host, port, timeout=10)
            later = None
            while out["pushes"] < max_pushes and time.monotonic() - start < timeout:
                try:
                    push.send(request_bytes("POST", f"/@connections/{cid}", host, body=body))
                    st, _, _ = push.response(time.monotonic() + 10)
                except (EOFError, BrokenPipeError, ConnectionResetError):
                    push.close()  # the server ended the keep-alive connection: open another
                    push = Conn(host, port, timeout=10)
                    continue
                out["pushes"] += 1
                out["statuses"][str(st)] = out["statuses"].get(str(st), 0) + 1
                if later is not None:
                    out["after_410"].append(st)
                    later -= 1
                    if later == 0:
                        break
                elif st == 410:
                    out["first_410_at"] = out["pushes"]
                    out["after_410"] = []
                    later = after_410
                    if later == 0:
                        break
        except (OSError, TimeoutError) as e:
            out["push_error"] = describe_error(e)
        finally:
            if push:
                push.close()
        out["push_seconds"] = round(time.monotonic() - start, 3)
        out["rss_after_pushes_mib"] = rss_mib(pid) if pid else None
        out["client"] = ws_drain(ws, drain_timeout)
        ws.close()
    out["peak_rss_mib"] = rss.result()
    out["server_alive"] = alive(pid) if pid else None
    return out


# --- check: idle and slowloris connections -----------------------------------------------------------

SLOW_PREFIX = b"GET /_otts/health HTTP/1.1\r\nHost: 127.0.0.1\r\n"
SLOW_BYTES = b"X-Slow: a\r\n"  # sent a byte at a time, forever: the blank line never comes


def attack(host, port, n_idle, n_slow, interval, reconnect, connect_timeout=30.0):
    """Runs in a process of its own (so that it does not slow the probing client down): opens
    n_idle connections that send one complete GET and then stay idle, and n_slow that send a
    request head one byte every `interval` s. Prints 'ready JSON' once they are open, keeps them
    open (reopening those the server closes, if `reconnect`) until stdin closes, then prints
    'done JSON'."""
    raise_nofile()
    sel = selectors.DefaultSelector()
    idle_req = request_bytes("GET", "/_otts/health", host)
    stats = {"idle_open": 0, "slow_open": 0, "connect_errors": 0, "closed_by_server": 0, "reopened": 0}
    live = {}

    def open_one(kind, reopen=False):
        s = socket.socket()
        s.setblocking(False)
        err = s.connect_ex((host, port))
        if err not in (0, errno.EINPROGRESS):
            stats["connect_errors"] += 1
            s.close()
            return False
        c = {"kind": kind, "sock": s, "connected": False, "next_at": 0.0, "pos": 0, "reopen": reopen}
        live[s.fileno()] = c
        sel.register(s, selectors.EVENT_WRITE, c)
        return True

    def drop(c, by_server):
        try:
            sel.unregister(c["sock"])
        except (KeyError, ValueError):
            pass
        live.pop(c["sock"].fileno(), None)
        if c["connected"]:
            stats[c["kind"] + "_open"] -= 1
        c["sock"].close()
        if by_server:
            stats["closed_by_server"] += 1
        if reconnect and not stopping:
            stats["reopened"] += 1
            open_one(c["kind"], True)

    stopping = False
    for _ in range(n_idle):
        open_one("idle")
    for _ in range(n_slow):
        open_one("slow")
    ready_at = None
    deadline = time.monotonic() + connect_timeout
    stdin = sys.stdin.buffer
    sel.register(stdin, selectors.EVENT_READ, "stdin")
    rng = 0
    while True:
        now = time.monotonic()
        if ready_at is None and (stats["idle_open"] + stats["slow_open"] >= n_idle + n_slow or now > deadline):
            ready_at = now
            print("ready " + json.dumps(stats), flush=True)
        for key, events in sel.select(0.05):
            c = key.data
            if c == "stdin":
                if not os.read(stdin.fileno(), 4096):
                    stopping = True
                continue
            s = c["sock"]
            if not c["connected"]:
                err = s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
                if err:
                    stats["connect_errors"] += 1
                    drop(c, False)
                    continue
                c["connected"] = True
                stats[c["kind"] + "_open"] += 1
                try:
                    if c["kind"] == "idle":
                        s.send(idle_req)
                    else:
                        s.send(SLOW_PREFIX)
                        rng = (rng * 1103515245 + 12345) & 0x7FFFFFFF
                        c["next_at"] = time.monotonic() + interval * (rng % 1000) / 1000  # spread out
                except OSError:
                    drop(c, True)
                    continue
                sel.modify(s, selectors.EVENT_READ, c)
                continue
            try:
                data = s.recv(1 << 16)
            except BlockingIOError:
                continue
            except OSError:
                data = b""
            if not data:
                drop(c, True)
        if stopping:
            break
        now = time.monotonic()
        for c in list(live.values()):
            if c["kind"] == "slow" and c["connected"] and now >= c["next_at"]:
                try:
                    c["sock"].send(SLOW_BYTES[c["pos"] % len(SLOW_BYTES):][:1])
                    c["pos"] += 1
                except OSError:
                    drop(c, True)
                    continue
                c["next_at"] = now + interval
    print("done " + json.dumps(stats), flush=True)


def flood(url, n_idle, n_slow, probes=200, probe_timeout=10.0, cap=60.0, interval=3.0, reconnect=True,
          max_failures=None, pid=None):
    """With n_idle idle keep-alive and n_slow slowloris connections open (held by a child process),
    a normal client makes `probes` GET /_otts/health one after another, each on a new connection,
    within `cap` s overall: how many were answered, and how fast."""
    host, port = address(url)
    out = {"idle": n_idle, "slow": n_slow, "client_nofile": raise_nofile()}
    child = subprocess.Popen(
        [sys.executable, os.path.abspath(__file__), "attack", url, str(n_idle), str(n_slow), str(interval)] +
        (["--reconnect"] if reconnect else []),
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        line = child.stdout.readline()  # the child bounds its own connect phase
        if not line.startswith("ready "):
            out["error"] = "the attacking process failed: " + line
            return out
        out["attack_ready"] = json.loads(line[6:])
        times, answered, failures, errors = [], 0, 0, {}
        start = time.monotonic()
        with RssSampler(pid) as rss:
            cpu0 = cpu_seconds(pid) if pid else None
            for _ in range(probes):
                left = cap - (time.monotonic() - start)
                if left <= 0.5:
                    break
                r = get_once(host, port, timeout=min(probe_timeout, left))
                if r.get("status") == 200:
                    answered += 1
                    times.append(r["seconds"])
                else:
                    failures += 1
                    why = str(r.get("status", r.get("error")))
                    errors[why] = errors.get(why, 0) + 1
                    times.append(float("inf") if "error" in r else r["seconds"])
                    if max_failures is not None and failures >= max_failures:
                        break
            out["server_cpu_seconds"] = round(cpu_seconds(pid) - cpu0, 2) if pid else None
        out.update(probes=len(times), answered=answered, errors=errors,
                   p50_ms=ms(percentile(times, 50)), p99_ms=ms(percentile(times, 99)),
                   max_ms=ms(max(times) if times else None),
                   seconds=round(time.monotonic() - start, 2), peak_rss_mib=rss.result())
    finally:
        try:
            child.stdin.close()
            done = child.stdout.readline()
            if done.startswith("done "):
                out["attack_end"] = json.loads(done[5:])
        except OSError:
            pass
        try:
            child.wait(10)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()
    return out


def ms(seconds):
    if seconds is None:
        return None
    if seconds == float("inf"):
        return "timeout"
    return round(seconds * 1000, 1)


# --- check: file descriptors exhausted --------------------------------------------------------------


def fd_exhaust(url, ws_url, pid, n_conns=400, window=5.0, health_timeout=2.0, settle=2.0):
    """Opens n_conns TCP connections to the WebSocket port of a server whose RLIMIT_NOFILE is
    low, waits (bounded) until the server holds as many files as it will, then, over `window`
    seconds, polls GET /_otts/health and measures the server's CPU time."""
    raise_nofile()
    host, port = address(ws_url)
    out = {"server_nofile": nofile_limit(pid), "server_files_before": open_files(pid)}
    socks = []
    for _ in range(n_conns):
        s = socket.socket()
        s.setblocking(False)
        s.connect_ex((host, port))
        socks.append(s)
    # Wait for the handshakes (the kernel completes them even if the server never accepts).
    deadline = time.monotonic() + 3
    sel = selectors.DefaultSelector()
    for s in socks:
        sel.register(s, selectors.EVENT_WRITE)
    connected = 0
    while sel.get_map() and time.monotonic() < deadline:
        for key, _ in sel.select(0.1):
            sel.unregister(key.fileobj)
            if key.fileobj.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR) == 0:
                connected += 1
    out["connected"] = connected
    # Let the server accept what it can: until its open-file count stops growing (bounded).
    last, still, deadline = -1, 0, time.monotonic() + settle
    limit = out["server_nofile"] or 1 << 30
    while time.monotonic() < deadline:
        n = open_files(pid)
        if n is None or n >= limit:
            break
        still = still + 1 if n == last else 0
        if still >= 4:
            break
        last = n
        time.sleep(0.05)
    out["server_files"] = open_files(pid)
    cpu0, t0 = cpu_seconds(pid), time.monotonic()
    first = get_once(*address(url), timeout=health_timeout)
    out["health_first"] = {k: (round(v, 3) if isinstance(v, float) else v) for k, v in first.items()}
    polls, answered = 1, int(first.get("status") == 200)
    while time.monotonic() - t0 < window:
        r = get_once(*address(url), timeout=min(health_timeout, max(0.1, window - (time.monotonic() - t0))))
        polls += 1
        answered += int(r.get("status") == 200)
        if "error" not in r:
            time.sleep(0.1)  # a poll rate, not a wait for time to pass: the window is the measure
    cpu1, t1 = cpu_seconds(pid), time.monotonic()
    out.update(health_polls=polls, health_answered=answered, wall_seconds=round(t1 - t0, 2),
               server_cpu_seconds=round(cpu1 - cpu0, 2) if cpu0 is not None and cpu1 is not None else None,
               server_alive=alive(pid))
    for s in socks:
        s.close()
    return out


# --- command line -------------------------------------------------------------------------------------


def main(argv):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="check", required=True)

    a = sub.add_parser("attack", help="(internal) hold idle and slowloris connections open")
    a.add_argument("url")
    a.add_argument("idle", type=int)
    a.add_argument("slow", type=int)
    a.add_argument("interval", type=float)
    a.add_argument("--reconnect", action="store_true")

    f = sub.add_parser("flood", help="idle + slowloris connections, then probe GET /_otts/health")
    f.add_argument("url")
    f.add_argument("--idle", type=int, default=2000)
    f.add_argument("--slow", type=int, default=500)
    f.add_argument("--probes", type=int, default=200)
    f.add_argument("--probe-timeout", type=float, default=10)
    f.add_argument("--cap", type=float, default=60)
    f.add_argument("--interval", type=float, default=3)
    f.add_argument("--no-reconnect", action="store_true")
    f.add_argument("--max-failures", type=int)
    f.add_argument("--pid", type=int)

    s = sub.add_parser("stream", help="a huge chunked body or header line, streamed")
    s.add_argument("url")
    s.add_argument("kind", choices=["chunked", "header"])
    s.add_argument("total", type=int)
    s.add_argument("--clients", type=int, default=1)
    s.add_argument("--piece", type=int, default=64 * 1024)
    s.add_argument("--timeout", type=float, default=30)
    s.add_argument("--pid", type=int)
    s.add_argument("--pace-after", type=int)
    s.add_argument("--pace", type=float, default=0.0)

    h = sub.add_parser("big-header", help="one GET with a header of SIZE bytes")
    h.add_argument("url")
    h.add_argument("--name", default="X-Big")
    h.add_argument("--size", type=int, default=17 * 1024)

    r = sub.add_parser("raw", help="send TEXT (Python escapes allowed) in one write, read one response")
    r.add_argument("url")
    r.add_argument("text")
    r.add_argument("--timeout", type=float, default=5)

    pl = sub.add_parser("pipeline", help="GET each PATH, all in one write")
    pl.add_argument("url")
    pl.add_argument("paths", nargs="+")

    k = sub.add_parser("ws-key", help="WebSocket handshake with a given Sec-WebSocket-Key")
    k.add_argument("ws_url")
    k.add_argument("--key", default="abc")

    w = sub.add_parser("slow-ws", help="a WebSocket client that never reads, pushed to")
    w.add_argument("url")
    w.add_argument("ws_url")
    w.add_argument("--pid", type=int)
    w.add_argument("--message", type=int, default=32 * 1024)
    w.add_argument("--max-pushes", type=int, default=2000)
    w.add_argument("--after-410", type=int, default=3)
    w.add_argument("--rcvbuf", type=int, default=4096)
    w.add_argument("--drain-timeout", type=float, default=5)
    w.add_argument("--timeout", type=float, default=60)

    x = sub.add_parser("fd-exhaust", help="many connections to the WebSocket port of a server with few fds")
    x.add_argument("url")
    x.add_argument("ws_url")
    x.add_argument("--pid", type=int, required=True)
    x.add_argument("--conns", type=int, default=400)
    x.add_argument("--window", type=float, default=5)
    x.add_argument("--health-timeout", type=float, default=2)

    o = p.parse_args(argv)
    if o.check == "attack":
        host, port = address(o.url)
        return attack(host, port, o.idle, o.slow, o.interval, o.reconnect)
    if o.check == "flood":
        res = flood(o.url, o.idle, o.slow, o.probes, o.probe_timeout, o.cap, o.interval, not o.no_reconnect,
                    o.max_failures, o.pid)
    elif o.check == "stream":
        res = stream_request(o.url, o.kind, o.total, o.clients, o.piece, o.timeout, o.pid, o.pace_after, o.pace)
    elif o.check == "big-header":
        res = big_header_request(o.url, o.name, o.size)
    elif o.check == "raw":
        res = raw_request(o.url, o.text.encode().decode("unicode_escape").encode("latin-1"), o.timeout)
    elif o.check == "pipeline":
        res = pipeline(o.url, o.paths)
    elif o.check == "ws-key":
        res = ws_bad_key(o.ws_url, o.key)
    elif o.check == "slow-ws":
        res = slow_ws_reader(o.url, o.ws_url, o.pid, o.message, o.max_pushes, o.after_410, o.rcvbuf,
                             o.drain_timeout, o.timeout)
    elif o.check == "fd-exhaust":
        res = fd_exhaust(o.url, o.ws_url, o.pid, o.conns, o.window, o.health_timeout)
    print(json.dumps(res))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
