#!/usr/bin/env python3
"""Signs an RS256 id token with PyJWT, for the token handler's security tests: the claims of
a real dev-IdP token with some changed (another audience, issuer, expiry), or a foreign key.
Usage: idp_token.py KEY_PEM_FILE KID CLAIMS_JSON   (prints the token)
       idp_token.py --new-key OUT_PEM_FILE          (writes a fresh RSA 2048 key)"""
import json
import sys

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

if sys.argv[1] == "--new-key":
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    with open(sys.argv[2], "wb") as out:
        out.write(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                    serialization.NoEncryption()))
    sys.exit(0)

key_file, kid, claims = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
with open(key_file, "rb") as f:
    key = f.read()
print(jwt.encode(claims, key, algorithm="RS256", headers={"kid": kid}))
