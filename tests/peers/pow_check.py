#!/usr/bin/env python3
"""Independent PoW checker (DESIGN §4) with hashlib only.

Usage: pow_check.py PREFIX NONCE SOLUTION DIFFICULTY
Exit 0 if SHA-256(PREFIX + NONCE + SOLUTION) has at least DIFFICULTY leading zero bits and the
solution is 1..64 characters; exit 1 otherwise; exit 2 on bad usage.
"""
import hashlib
import sys


def leading_zero_bits(digest: bytes) -> int:
    value = int.from_bytes(digest, "big")
    return len(digest) * 8 - value.bit_length()


def main(argv):
    if len(argv) != 5:
        print(__doc__, file=sys.stderr)
        return 2
    prefix, nonce, solution, difficulty = argv[1], argv[2], argv[3], int(argv[4])
    if not 1 <= len(solution) <= 64:
        return 1
    digest = hashlib.sha256((prefix + nonce + solution).encode("utf-8")).digest()
    return 0 if leading_zero_bits(digest) >= difficulty else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
