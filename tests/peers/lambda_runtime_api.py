#!/usr/bin/env python3
"""A stand-in for the Lambda Runtime API (2018-06-01) on 127.0.0.1, for black-box tests.

The real `bootstrap` long-polls GET /2018-06-01/runtime/invocation/next here and posts its
answers to .../invocation/{id}/response or .../error, or to /runtime/init/error. The test
drives it through /_test/*:

  POST /_test/events           body: the event text (sent as is, JSON or not) -> {"id"}
  GET  /_test/results/{id}     waits (?wait=SECONDS, default 20) for the answer to that event:
                               {"kind": "response"|"error", "body": text, "json": parsed or null,
                                "error_type": header value, "latency_ms": /next served -> answer}
  GET  /_test/state            {"next_at": [epoch seconds of each /next request],
                                "init_error": the posted init error or null}
  GET  /_test/init-error       waits (?wait=SECONDS) for /init/error; 504 when none came

With a second argument it also plays API Gateway (HTTP API, payload 2.0) on another free
port: each plain HTTP request there becomes an event for the bootstrap, and the bootstrap's
answer becomes the HTTP response, so an HTTP test suite can run through the Lambda unchanged.
As API Gateway does with payload 2.0, the request's Cookie headers become the event's `cookies`
array (one "name=value" each, no cookie header left) and each entry of the answer's `cookies`
array becomes a Set-Cookie header (headers keep their status, e.g. a 307's Location).

Usage: lambda_runtime_api.py PORT_FILE [GATEWAY_PORT_FILE]
       (listens on free ports and writes them there)
"""
import base64
import json
import os
import select
import socket
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

BASE = "/2018-06-01/runtime"


class State:
    def __init__(self):
        self.cond = threading.Condition()
        self.queue = []  # [(id, event bytes)]
        self.served_at = {}  # id -> time.monotonic() when /next handed it out
        self.results = {}  # id -> record
        self.init_error = None
        self.next_at = []  # time.time() of each /next request
        self.counter = 0

    def wait_for(self, predicate, seconds):
        with self.cond:
            return self.cond.wait_for(predicate, timeout=seconds)


STATE = State()


def parsed(body):
    try:
        return json.loads(body)
    except ValueError:
        return None


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as the real Runtime API
    # Headers and body go out in separate writes; with Nagle on, the body would wait for a
    # delayed ACK (~40 ms) and the latency measured here would be the stand-in's, not otts's.
    disable_nagle_algorithm = True

    def log_message(self, fmt, *args):  # quiet: the test prints what matters
        pass

    def reply(self, status, payload, headers=None):
        data = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def body(self):
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def wait_seconds(self, query):
        return float(parse_qs(query).get("wait", ["20"])[0])

    def do_GET(self):
        url = urlsplit(self.path)
        if url.path == BASE + "/invocation/next":
            return self.next_invocation()
        if url.path.startswith("/_test/results/"):
            event_id = url.path.rsplit("/", 1)[1]
            if not STATE.wait_for(lambda: event_id in STATE.results, self.wait_seconds(url.query)):
                return self.reply(504, {"error": "no answer for " + event_id})
            return self.reply(200, STATE.results[event_id])
        if url.path == "/_test/state":
            with STATE.cond:
                return self.reply(200, {"next_at": STATE.next_at, "init_error": STATE.init_error})
        if url.path == "/_test/init-error":
            if not STATE.wait_for(lambda: STATE.init_error is not None, self.wait_seconds(url.query)):
                return self.reply(504, {"error": "no init error"})
            return self.reply(200, STATE.init_error)
        self.reply(404, {"error": "not found"})

    def client_gone(self):
        """True when the poller hung up (a bootstrap that was stopped): its event must not be
        handed to a dead socket while the next bootstrap waits for it."""
        readable, _, _ = select.select([self.connection], [], [], 0)
        if not readable:
            return False
        try:
            return self.connection.recv(1, socket.MSG_PEEK) == b""
        except OSError:
            return True

    def next_invocation(self):
        with STATE.cond:
            STATE.next_at.append(time.time())
            while True:
                STATE.cond.wait_for(lambda: STATE.queue, timeout=0.05)
                if self.client_gone():
                    return
                if STATE.queue:
                    break
            event_id, event = STATE.queue.pop(0)
            STATE.served_at[event_id] = time.monotonic()
        deadline_ms = int((time.time() + 30) * 1000)
        self.reply(200, event, {
            "Lambda-Runtime-Aws-Request-Id": event_id,
            "Lambda-Runtime-Deadline-Ms": str(deadline_ms),
            "Lambda-Runtime-Invoked-Function-Arn": "arn:aws:lambda:us-east-1:123456789012:function:otts",
            "Lambda-Runtime-Trace-Id": "Root=1-00000000-000000000000000000000000;Sampled=0",
        })

    def do_POST(self):
        url = urlsplit(self.path)
        body = self.body()
        if url.path == "/_test/events":
            return self.reply(200, {"id": enqueue(body)})
        if url.path == BASE + "/init/error":
            with STATE.cond:
                STATE.init_error = self.record("error", body, None)
                STATE.cond.notify_all()
            return self.reply(202, {"status": "OK"})
        parts = url.path[len(BASE):].split("/") if url.path.startswith(BASE) else []
        # ["", "invocation", id, "response"|"error"]
        if len(parts) == 4 and parts[1] == "invocation" and parts[3] in ("response", "error"):
            event_id = parts[2]
            with STATE.cond:
                if event_id not in STATE.served_at or event_id in STATE.results:
                    return self.reply(400, {"errorMessage": "unknown or answered request id",
                                            "errorType": "InvalidRequestID"})
                STATE.results[event_id] = self.record(parts[3], body, STATE.served_at[event_id])
                STATE.cond.notify_all()
            return self.reply(202, {"status": "OK"})
        self.reply(404, {"error": "not found"})

    def record(self, kind, body, served_at):
        text = body.decode("utf-8", "replace")
        latency = None if served_at is None else round((time.monotonic() - served_at) * 1000, 3)
        return {"kind": kind, "body": text, "json": parsed(text),
                "error_type": self.headers.get("Lambda-Runtime-Function-Error-Type"), "latency_ms": latency}


def enqueue(event_bytes):
    with STATE.cond:
        STATE.counter += 1
        event_id = "req-%d" % STATE.counter
        STATE.queue.append((event_id, event_bytes))
        STATE.cond.notify_all()
    return event_id


class Gateway(BaseHTTPRequestHandler):
    """API Gateway's side: HTTP request -> payload 2.0 event -> bootstrap -> HTTP response."""
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True

    def log_message(self, fmt, *args):
        pass

    def handle_any(self):
        url = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        headers = {}
        cookies = []
        for name, value in self.headers.items():  # repeated headers are joined, as API Gateway does
            key = name.lower()
            if key == "cookie":  # payload 2.0: each cookie in `cookies`, no Cookie header
                cookies += [c.strip() for c in value.split(";") if c.strip()]
                continue
            headers[key] = headers[key] + "," + value if key in headers else value
        now = time.time()
        event = {
            "version": "2.0", "routeKey": "$default", "rawPath": url.path, "rawQueryString": url.query,
            "cookies": cookies, "headers": headers,
            "requestContext": {
                "accountId": "123456789012", "apiId": "local", "domainName": headers.get("host", "localhost"),
                "domainPrefix": "local", "requestId": "gw-%d" % time.time_ns(), "routeKey": "$default",
                "stage": "$default", "time": time.strftime("%d/%b/%Y:%H:%M:%S +0000", time.gmtime(now)),
                "timeEpoch": int(now * 1000),
                "http": {"method": self.command, "path": url.path, "protocol": "HTTP/1.1",
                         "sourceIp": self.client_address[0], "userAgent": headers.get("user-agent", "")},
            },
            "body": base64.b64encode(body).decode(), "isBase64Encoded": True,
        }
        event_id = enqueue(json.dumps(event).encode())
        if not STATE.wait_for(lambda: event_id in STATE.results, 30):
            return self.answer(504, {"content-type": "application/json"}, [], b'{"message":"Endpoint request timed out"}')
        record = STATE.results[event_id]
        payload = record["json"]
        if record["kind"] != "response" or not isinstance(payload, dict):
            return self.answer(500, {"content-type": "application/json"}, [], b'{"message":"Internal Server Error"}')
        data = payload.get("body") or ""
        data = base64.b64decode(data) if payload.get("isBase64Encoded") else data.encode()
        self.answer(payload.get("statusCode", 200), payload.get("headers") or {}, payload.get("cookies") or [], data)

    def answer(self, status, headers, cookies, data):
        self.send_response(status)
        for name, value in headers.items():
            if name.lower() not in ("content-length", "connection", "transfer-encoding"):
                self.send_header(name, value)
        for cookie in cookies:
            self.send_header("Set-Cookie", cookie)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = do_HEAD = handle_any


def listen(handler, port_file):
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    with open(port_file + ".tmp", "w") as f:
        f.write(str(server.server_address[1]))
    os.replace(port_file + ".tmp", port_file)
    return server


def main():
    runtime = listen(Handler, sys.argv[1])
    if len(sys.argv) > 2:
        gateway = listen(Gateway, sys.argv[2])
        threading.Thread(target=gateway.serve_forever, daemon=True).start()
    runtime.serve_forever()


if __name__ == "__main__":
    main()
