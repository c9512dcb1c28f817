#!/usr/bin/env python3
"""Lambda cold start on a local Runtime API: starts the bootstrap RUNS times against a minimal
Runtime API on 127.0.0.1 and measures (1) init: process start -> its first /next request, and
(2) first invocation: the event handed out -> its response posted (a POST /token event).
Prints `name value` lines (medians, ms). Usage: lambda_init.py BOOTSTRAP RUNS (environment:
the Lambda's variables)."""
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time

EVENT = json.dumps({
    "version": "2.0", "routeKey": "$default", "rawPath": "/token", "rawQueryString": "",
    "headers": {"host": "bench", "content-type": "application/json"},
    "requestContext": {"http": {"method": "POST", "path": "/token", "sourceIp": "127.0.0.1"},
                       "requestId": "bench", "stage": "$default"},
    "body": "", "isBase64Encoded": False}).encode()


def read_request(conn):
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(65536)
        if not chunk:
            return None
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value)
    while len(body) < length:
        body += conn.recv(65536)
    return head.split(b"\r\n")[0]


def one_run(bootstrap, env):
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    env = dict(env, AWS_LAMBDA_RUNTIME_API="127.0.0.1:%d" % server.getsockname()[1])
    started = time.perf_counter()
    proc = subprocess.Popen([bootstrap], env=env, stderr=subprocess.DEVNULL)
    conn, _ = server.accept()
    conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    read_request(conn)  # GET /next
    init_ms = (time.perf_counter() - started) * 1000
    handed = time.perf_counter()
    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nLambda-Runtime-Aws-Request-Id: r1\r\n"
                 b"Lambda-Runtime-Deadline-Ms: %d\r\nContent-Length: %d\r\n\r\n" % (int(time.time() * 1000) + 30000, len(EVENT)) + EVENT)
    line = read_request(conn)  # POST /invocation/r1/response
    first_ms = (time.perf_counter() - handed) * 1000
    proc.kill()
    proc.wait()
    conn.close()
    server.close()
    if not line or b"/response" not in line:
        sys.exit("unexpected answer: %r" % line)
    return init_ms, first_ms


def main():
    bootstrap, runs = sys.argv[1], int(sys.argv[2])
    inits, firsts = [], []
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as tmp:
            env = dict(os.environ, OTTS_STORE="sqlite:" + tmp + "/lambda.db")
            init_ms, first_ms = one_run(bootstrap, env)
        inits.append(init_ms)
        firsts.append(first_ms)
    print("lambda_init_ms_median %.1f" % statistics.median(inits))
    print("lambda_init_ms_min %.1f" % min(inits))
    print("lambda_first_invocation_ms_median %.1f" % statistics.median(firsts))


if __name__ == "__main__":
    main()
