#!/usr/bin/python3
"""PyJWT peer for the JWT benchmark (Debian's python3-jwt). Prints `name value` lines."""
import time

import jwt

KEY = "k" * 64
now = int(time.time())
payload = {"uuid": "123e4567-e89b-42d3-a456-426614174000", "exp": now + 3600, "iat": now, "scope": "x", "n": 1}


def rate(fn, seconds=1.0):
    end = time.perf_counter() + seconds
    n = 0
    while time.perf_counter() < end:
        for _ in range(100):
            fn()
        n += 100
    return int(n / seconds)


token = jwt.encode(payload, KEY, algorithm="HS256")
print("pyjwt_hs256_sign_ops_per_s", rate(lambda: jwt.encode(payload, KEY, algorithm="HS256")))
print("pyjwt_hs256_verify_ops_per_s", rate(lambda: jwt.decode(token, KEY, algorithms=["HS256"])))
