// Peer for the PoW figure: how a straightforward Node client solves the challenge, one
// createHash per candidate on one thread (what a browser/Node client typically ships).
// Prints `node_pow_hashes_per_s N`.
import { createHash, randomBytes } from 'node:crypto';

const prefix = 'sealed:';
const nonce = randomBytes(16).toString('hex');
const seconds = 3;

function leadingZeroBits(digest) {
  let bits = 0;
  for (const byte of digest) {
    if (byte !== 0) return bits + Math.clz32(byte) - 24;
    bits += 8;
  }
  return bits;
}

const difficulty = 64; // unsolvable in practice: we only count hashes
const deadline = performance.now() + seconds * 1000;
const start = performance.now();
let counter = 0;
while (performance.now() < deadline) {
  for (let i = 0; i < 10000; i++, counter++) {
    const digest = createHash('sha256').update(prefix + nonce + counter).digest();
    if (leadingZeroBits(digest) >= difficulty) throw new Error(`solved?! ${counter}`);
  }
}
const elapsed = (performance.now() - start) / 1000;
console.log(`node_pow_hashes_per_s ${Math.round(counter / elapsed)}`);
