#!/usr/bin/env python3
"""Independent PoW solver (DESIGN §4) with hashlib only: prints the smallest decimal counter
SOLUTION such that SHA-256(PREFIX + NONCE + SOLUTION) has DIFFICULTY leading zero bits.

Usage: pow_solve.py PREFIX NONCE DIFFICULTY
"""
import hashlib
import itertools
import sys


def solve(prefix: str, nonce: str, difficulty: int) -> str:
    base = hashlib.sha256((prefix + nonce).encode("utf-8"))
    limit = 1 << (256 - difficulty)  # digest as an integer must be below this
    for counter in itertools.count():
        solution = str(counter)
        h = base.copy()
        h.update(solution.encode("ascii"))
        if int.from_bytes(h.digest(), "big") < limit:
            return solution
    raise AssertionError("unreachable")


def main(argv):
    if len(argv) != 4:
        print(__doc__, file=sys.stderr)
        return 2
    print(solve(argv[1], argv[2], int(argv[3])))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
