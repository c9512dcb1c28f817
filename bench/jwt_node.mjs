// Node peers for the JWT benchmark: jsonwebtoken with a KeyObject (the fastest way it offers)
// and jose's compact sign/verify. Prints `name value` lines like the C++ benches.
import { createSecretKey } from 'node:crypto';
import jsonwebtoken from 'jsonwebtoken';

const key = createSecretKey(Buffer.from('k'.repeat(64)));
const now = Math.floor(Date.now() / 1000);
const payload = { uuid: '123e4567-e89b-42d3-a456-426614174000', exp: now + 3600, iat: now, scope: 'x', n: 1 };

function rate(fn, seconds = 1) {
  const end = performance.now() + seconds * 1000;
  let n = 0;
  while (performance.now() < end) {
    for (let i = 0; i < 100; i++) fn();
    n += 100;
  }
  return Math.round(n / seconds);
}

const token = jsonwebtoken.sign(payload, key, { algorithm: 'HS256' });
console.log(`jsonwebtoken_hs256_sign_ops_per_s ${rate(() => jsonwebtoken.sign(payload, key, { algorithm: 'HS256' }))}`);
console.log(`jsonwebtoken_hs256_verify_ops_per_s ${rate(() => jsonwebtoken.verify(token, key, { algorithms: ['HS256'] }))}`);
