#!/usr/bin/python3
"""A real JOSE peer for the black-box tests: PyJWT (with `cryptography` for ES256), the library
the S1 original (Python) signs with.

    pyjwt_peer.py sign   HS256|HS384|ES256|none KEYFILE PAYLOAD_JSON [HEADER_JSON] -> the token
    pyjwt_peer.py verify HS256|ES256 KEYFILE TOKEN                        -> prints the payload

HS256 keys are secret files read the way otts reads them (trailing CR/LF dropped); ES256 keys
are PEM files (a private PEM also verifies). Exit 0 on success, 1 on any failure.
"""
import json
import sys

import jwt
from cryptography.hazmat.primitives import serialization


def read_key(alg, path, for_signing):
    if alg == "none":
        return None
    with open(path, "rb") as f:
        data = f.read()
    if alg.startswith("HS"):
        return data.rstrip(b"\r\n")
    if alg != "ES256":
        raise ValueError(f"unsupported alg {alg}")
    if for_signing:
        return serialization.load_pem_private_key(data, password=None)
    if b"PRIVATE KEY" in data:
        return serialization.load_pem_private_key(data, password=None).public_key()
    return serialization.load_pem_public_key(data)


def main(argv):
    if len(argv) >= 4 and argv[0] == "sign":
        _, alg, key_path, payload = argv[:4]
        headers = json.loads(argv[4]) if len(argv) > 4 else None
        return jwt.encode(json.loads(payload), read_key(alg, key_path, True), algorithm=alg, headers=headers)
    if len(argv) == 4 and argv[0] == "verify":
        _, alg, key_path, token = argv
        payload = jwt.decode(token, read_key(alg, key_path, False), algorithms=[alg],
                             options={"require": ["exp"]})
        return json.dumps(payload)
    raise ValueError("usage: pyjwt_peer.py sign ALG KEY PAYLOAD [HEADER] | verify ALG KEY TOKEN")


if __name__ == "__main__":
    try:
        print(main(sys.argv[1:]))
    except Exception as e:  # noqa: BLE001 - any failure is a "no" from this peer
        print(f"pyjwt_peer: {type(e).__name__}: {e}", file=sys.stderr)
        sys.exit(1)
