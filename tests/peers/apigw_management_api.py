#!/usr/bin/env python3
"""A stand-in for API Gateway's management API (PostToConnection), for black-box tests of the
Lambda's POST /@queues/{queueId}.

  apigw_management_api.py PORT_FILE STAGE GONE_ID

Listens on a free port of 127.0.0.1 and writes it to PORT_FILE. Each
POST /{STAGE}/@connections/{id} is recorded and answered 200 with an empty body, as API Gateway
does, except for GONE_ID, which gets 410 GoneException. GET /_test/calls returns the records:
[{"path", "connectionId" (percent-decoded), "body", "authorization", "contentType"}].
"""
import json
import os
import sys
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

port_file, stage, gone_id = sys.argv[1:4]
calls = []
lock = threading.Lock()
prefix = "/" + stage + "/@connections/"


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def answer(self, status, body=b"", headers=()):
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        if self.path != "/_test/calls":
            return self.answer(404)
        with lock:
            body = json.dumps(calls).encode()
        self.answer(200, body, [("Content-Type", "application/json")])

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        # The management API takes no query: a request line with a '?' (even an empty query)
        # is refused, as a signature check over the request line would.
        if "?" in self.path:
            return self.answer(400, b'{"message":"unexpected query"}', [("x-amzn-ErrorType", "BadRequestException")])
        path = self.path
        if not path.startswith(prefix):
            return self.answer(404, b'{"message":"Not Found"}', [("x-amzn-ErrorType", "NotFoundException")])
        connection_id = urllib.parse.unquote(path[len(prefix):])
        with lock:
            calls.append({"path": path, "connectionId": connection_id,
                          "body": body.decode("utf-8", "replace"),
                          "authorization": self.headers.get("Authorization", ""),
                          "contentType": self.headers.get("Content-Type", "")})
        if connection_id == gone_id:
            return self.answer(410, b'{"message":"Gone"}', [("Content-Type", "application/json"),
                                                           ("x-amzn-ErrorType", "GoneException")])
        self.answer(200)


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
with open(port_file + ".tmp", "w") as f:  # renamed: the file appears complete
    f.write(str(server.server_address[1]))
os.replace(port_file + ".tmp", port_file)
server.serve_forever()
