// The S0 original's stack for comparison: Node's http module and jsonwebtoken serving
// POST /token (HS256 create token with a PoW challenge), as sealed.fyi's Lambda does.
// Usage: node s0_node_server.mjs PORT   (prints "listening PORT")
import http from 'node:http';
import { createSecretKey, randomBytes, randomUUID } from 'node:crypto';
import jsonwebtoken from 'jsonwebtoken';

// A KeyObject, Node's fastest path: with the string secret the original passes, jsonwebtoken 9
// signs ~70x slower (~2 k/s here), which would flatter otts.
const secret = createSecretKey(Buffer.from(randomBytes(32).toString('hex')));
const server = http.createServer((req, res) => {
  if (req.method !== 'POST' || req.url !== '/token') {
    res.writeHead(404, { 'Content-Type': 'application/json' });
    return res.end('{"error":"not_found"}');
  }
  req.resume();
  req.on('end', () => {
    const now = Math.floor(Date.now() / 1000);
    const nonce = randomBytes(16).toString('hex');
    const claims = { jti: randomUUID(), iat: now, exp: now + 300, op: 'create', nonce, pow_difficulty: 18, pow_prefix: 'sealed:' };
    const token = jsonwebtoken.sign(claims, secret, { algorithm: 'HS256' });
    res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
    res.end(JSON.stringify({ token, nonce, powChallenge: { difficulty: 18, prefix: 'sealed:' }, expiresAt: new Date((now + 300) * 1000).toISOString() }));
  });
});
server.keepAliveTimeout = 60000;
server.listen(Number(process.argv[2] || 0), '127.0.0.1', () => console.log(`listening ${server.address().port}`));
