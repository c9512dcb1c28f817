#!/usr/bin/env python3
"""Builds the Lambda events API Gateway would send, for black-box tests of the bootstrap.

  lambda_event.py http METHOD RAW_PATH [--query Q] [--body B] [--base64] [--header NAME:VALUE]...
                       [--cookie NAME=VALUE]... [--stage STAGE]
      an HTTP API payload 2.0 event (the stage, when given, is put in front of rawPath, as
      API Gateway does on a named stage)
  lambda_event.py ws connect|disconnect|message CONNECTION_ID [--token T] [--protocol P] [--body B]
      a WebSocket API event

The event is printed as JSON on stdout.
"""
import argparse
import base64
import json
import time


def http_event(args):
    stage = args.stage or "$default"
    raw_path = ("/" + stage if args.stage else "") + args.path
    body = args.body or ""
    if args.base64:
        body = base64.b64encode(body.encode()).decode()
    headers = {"host": "abc123.execute-api.us-east-1.amazonaws.com", "user-agent": "otts-blackbox/1"}
    for header in args.header:
        name, _, value = header.partition(":")
        headers[name.strip().lower()] = value.strip()
    route_key = "$default"
    return {
        "version": "2.0",
        "routeKey": route_key,
        "rawPath": raw_path,
        "rawQueryString": args.query,
        "cookies": args.cookie,
        "headers": headers,
        "requestContext": {
            "accountId": "123456789012",
            "apiId": "abc123",
            "domainName": "abc123.execute-api.us-east-1.amazonaws.com",
            "domainPrefix": "abc123",
            "http": {"method": args.method, "path": raw_path, "protocol": "HTTP/1.1",
                     "sourceIp": "203.0.113.9", "userAgent": "otts-blackbox/1"},
            "requestId": "bb-%d" % time.time_ns(),
            "routeKey": route_key,
            "stage": stage,
            "time": time.strftime("%d/%b/%Y:%H:%M:%S +0000", time.gmtime()),
            "timeEpoch": int(time.time() * 1000),
        },
        "body": body,
        "isBase64Encoded": args.base64,
    }


def ws_event(args):
    event_type = {"connect": "CONNECT", "disconnect": "DISCONNECT", "message": "MESSAGE"}[args.route]
    route_key = {"connect": "$connect", "disconnect": "$disconnect", "message": "$default"}[args.route]
    event = {
        "requestContext": {
            "routeKey": route_key,
            "eventType": event_type,
            "messageDirection": "IN",
            "stage": "prod",
            "connectedAt": int(time.time() * 1000),
            "requestTimeEpoch": int(time.time() * 1000),
            "identity": {"sourceIp": "198.51.100.20", "userAgent": "otts-blackbox-ws/1"},
            "requestId": "ws-%d" % time.time_ns(),
            "domainName": "ws123.execute-api.us-east-1.amazonaws.com",
            "connectionId": args.connection_id,
            "apiId": "ws123",
        },
        "isBase64Encoded": False,
    }
    if args.route == "connect":
        event["headers"] = {"Host": "ws123.execute-api.us-east-1.amazonaws.com", "Sec-WebSocket-Version": "13"}
        if args.protocol:
            event["headers"]["Sec-WebSocket-Protocol"] = args.protocol
        if args.token is not None:
            event["queryStringParameters"] = {"token": args.token}
    if args.body is not None:
        event["body"] = args.body
    return event


def main():
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="kind", required=True)
    h = sub.add_parser("http")
    h.add_argument("method")
    h.add_argument("path")
    h.add_argument("--query", default="")
    h.add_argument("--body")
    h.add_argument("--base64", action="store_true")
    h.add_argument("--header", action="append", default=[])
    h.add_argument("--cookie", action="append", default=[])
    h.add_argument("--stage")
    w = sub.add_parser("ws")
    w.add_argument("route", choices=["connect", "disconnect", "message"])
    w.add_argument("connection_id")
    w.add_argument("--token")
    w.add_argument("--protocol")
    w.add_argument("--body")
    args = parser.parse_args()
    print(json.dumps(http_event(args) if args.kind == "http" else ws_event(args)))


if __name__ == "__main__":
    main()
