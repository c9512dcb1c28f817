// Mixed load for the crash test of `otts serve`, and the check after the restart.
//   node crash_load.mjs load URL LOG N   16 workers: issue S1 tokens, consume half of them,
//                                        issue+solve+redeem S0 tokens; every outcome the client
//                                        saw is appended to LOG. Prints "reached N" once N
//                                        responses have arrived (the moment the test kills the
//                                        server, with requests in flight). Exits when the
//                                        server dies.
//   node crash_load.mjs verify URL LOG   replays LOG against the restarted server and prints
//                                        {checked, violations: [...]} as JSON.
// The rule checked: a token the client saw issued is still valid or consumed exactly once; a
// token the client saw consumed (or redeemed) is never accepted again.
import http from 'node:http';
import fs from 'node:fs';
import { createHash } from 'node:crypto';

const [mode, base, logPath, reportAt] = process.argv.slice(2);
const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
let responses = 0;
function counted(response) {
  if (++responses === Number(reportAt)) process.stdout.write(`reached ${responses}\n`);
  return response;
}

function call(method, path, body, headers = {}) {
  return new Promise((resolve, reject) => {
    const data = body === undefined ? '' : JSON.stringify(body);
    const req = http.request(new URL(path, base), {
      method, agent,
      headers: { ...headers, 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(data) },
    }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve(counted({ status: res.statusCode, body: Buffer.concat(chunks).toString() })));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(data);
  });
}

const log = (...fields) => fs.appendFileSync(logPath, fields.join(' ') + '\n');

function solve(prefix, nonce, difficulty) {
  for (let i = 0; ; i++) {
    const d = createHash('sha256').update(prefix + nonce + i).digest();
    let bits = 0;
    for (const byte of d) { if (byte === 0) { bits += 8; continue; } bits += Math.clz32(byte) - 24; break; }
    if (bits >= difficulty) return String(i);
  }
}

async function oneTimeRound(n) {
  const token = JSON.parse((await call('GET', '/tokens')).body).token;
  log('issued', token);
  if (n % 2) return;
  log('attempt', token);
  const r = await call('POST', '/tokens', { token });
  if (r.status === 200) log('consumed', token);
}

async function createRound() {
  const issued = JSON.parse((await call('POST', '/token')).body);
  const pow = solve(issued.powChallenge.prefix, issued.nonce, issued.powChallenge.difficulty);
  const r = await call('POST', '/token/redeem', { nonce: issued.nonce, pow }, { Authorization: `Bearer ${issued.token}` });
  if (r.status === 200) log('redeemed', issued.token, issued.nonce, pow);
}

async function load() {
  let stop = false;
  async function worker(id) {
    for (let n = id; !stop; n++) {
      try {
        await (n % 4 === 3 ? createRound() : oneTimeRound(n));
      } catch {
        stop = true;  // the server is gone
      }
    }
  }
  await Promise.all(Array.from({ length: 16 }, (_, i) => worker(i)));
}

async function verify() {
  const issued = new Map();  // token → {attempted, consumed}
  const redeemed = [];
  for (const line of fs.readFileSync(logPath, 'utf8').split('\n')) {
    const [kind, token, nonce, pow] = line.split(' ');
    if (kind === 'issued') issued.set(token, { attempted: false, consumed: false });
    if (kind === 'attempt') issued.get(token).attempted = true;
    if (kind === 'consumed') issued.get(token).consumed = true;
    if (kind === 'redeemed') redeemed.push({ token, nonce, pow });
  }
  const violations = [];
  const counts = { valid: 0, used: 0, redeemed: redeemed.length };
  for (const [token, seen] of issued) {
    const r = await call('POST', '/tokens', { token });
    const message = JSON.parse(r.body).message;
    if (r.status === 200) {
      counts.valid++;
      if (seen.consumed) violations.push(`consumed twice: ${token.slice(-12)}`);
    } else if (message === 'Token has already been used') {
      counts.used++;
      if (!seen.attempted) violations.push(`used without any attempt: ${token.slice(-12)}`);
    } else {
      violations.push(`${r.status} ${message}: ${token.slice(-12)}`);
    }
  }
  for (const { token, nonce, pow } of redeemed) {
    const r = await call('POST', '/token/redeem', { nonce, pow }, { Authorization: `Bearer ${token}` });
    if (r.status !== 409) violations.push(`create token redeemed again: ${r.status} ${r.body}`);
  }
  console.log(JSON.stringify({ checked: issued.size, ...counts, violations: violations.slice(0, 20), nviolations: violations.length }));
  agent.destroy();
}

await (mode === 'load' ? load() : verify());
agent.destroy();
