// Races concurrent HTTP clients against a running `otts serve` and counts winners per token.
//   node http_race.mjs same-token URL RACERS          one S1 token, RACERS concurrent POST /tokens
//   node http_race.mjs one-time URL TOKENS RACERS     TOKENS S1 tokens, each raced by RACERS clients
//   node http_race.mjs redeem URL TOKENS RACERS       TOKENS S0 create tokens (PoW solved here),
//                                                     each redeemed by RACERS clients at once
//   node http_race.mjs redeem-token URL RACERS TOKEN  one given S0 create token (difficulty 0,
//                                                     made by the test), RACERS redeems at once
//   node http_race.mjs secret-views URL VIEWS RACERS  one S0 secret with maxViews VIEWS (created
//                                                     here: token, PoW, POST /secrets), then
//                                                     RACERS concurrent GET /secrets/{id}
// URL may be several base URLs joined by commas (instances sharing one store): tokens are
// issued by the first, and the racers of each token are spread over all of them in turn.
// Prints one JSON line: {tokens, requests, wins: {"0": n, "1": n, ...}, statuses: {...}}, where
// wins counts tokens by how many 200s they got. Exactly-once means wins has only the key "1".
import http from 'node:http';
import { createHash } from 'node:crypto';

const [mode, baseList, a, b] = process.argv.slice(2);
const bases = baseList.split(',');
// 64 sockets: as many as the server serves at once, so no request waits for a free worker.
const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

function call(method, path, body, headers = {}, instance = 0) {
  return new Promise((resolve, reject) => {
    const data = body === undefined ? undefined : JSON.stringify(body);
    const req = http.request(new URL(path, bases[instance % bases.length]), {
      method, agent,
      headers: { ...headers, ...(data ? { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(data) } : { 'Content-Length': 0 }) },
    }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, body: Buffer.concat(chunks).toString() }));
    });
    req.on('error', reject);
    if (data) req.write(data);
    req.end();
  });
}

function leadingZeroBits(digest) {
  let bits = 0;
  for (const byte of digest) {
    if (byte === 0) { bits += 8; continue; }
    return bits + Math.clz32(byte) - 24;
  }
  return bits;
}

function solve(prefix, nonce, difficulty) {
  for (let i = 0; ; i++) {
    const digest = createHash('sha256').update(prefix + nonce + i).digest();
    if (leadingZeroBits(digest) >= difficulty) return String(i);
  }
}

const statuses = {};
const wins = {};
let requests = 0;

// Fires `racers` copies of one request at once; records how many won.
async function race(racers, send) {
  const results = await Promise.all(Array.from({ length: racers }, (_, i) => send(i)));
  requests += results.length;
  let won = 0;
  for (const r of results) {
    statuses[r.status] = (statuses[r.status] ?? 0) + 1;
    if (r.status === 200) won++;
  }
  wins[won] = (wins[won] ?? 0) + 1;
}

async function oneTime() {
  const { body } = await call('GET', '/tokens');
  const token = JSON.parse(body).token;
  return (i) => call('POST', '/tokens', { token }, {}, i);
}

async function createToken() {
  const issued = JSON.parse((await call('POST', '/token')).body);
  const pow = solve(issued.powChallenge.prefix, issued.nonce, issued.powChallenge.difficulty);
  return (i) => call('POST', '/token/redeem', { nonce: issued.nonce, pow }, { Authorization: `Bearer ${issued.token}` }, i);
}

// A secret with `views` views; the racers read it.
async function secretViews(views) {
  const issued = JSON.parse((await call('POST', '/token')).body);
  const pow = solve(issued.powChallenge.prefix, issued.nonce, issued.powChallenge.difficulty);
  const body = {
    ciphertext: Buffer.from('racing readers').toString('base64'), iv: Buffer.alloc(12, 1).toString('base64'),
    salt: null, nonce: issued.nonce, pow, ttl: 900, maxViews: views, passphraseProtected: false,
  };
  const created = await call('POST', '/secrets', body, { Authorization: `Bearer ${issued.token}` });
  if (created.status !== 201) throw new Error(`POST /secrets answered ${created.status}: ${created.body}`);
  const { id } = JSON.parse(created.body);
  return (i) => call('GET', `/secrets/${id}`, undefined, {}, i);
}

// Runs `tokens` races, `parallel` of them at a time.
async function many(tokens, racers, make, parallel) {
  let next = 0;
  async function worker() {
    while (next < tokens) {
      next++;
      const send = await make();
      await race(racers, send);
    }
  }
  await Promise.all(Array.from({ length: parallel }, worker));
}

const started = Date.now();
if (mode === 'same-token') {
  const send = await oneTime();
  await race(Number(a), send);
} else if (mode === 'one-time') {
  await many(Number(a), Number(b), oneTime, 8);
} else if (mode === 'redeem-token') {
  const token = b;
  const nonce = JSON.parse(Buffer.from(token.split('.')[1], 'base64url')).nonce;
  await race(Number(a), (i) => call('POST', '/token/redeem', { nonce, pow: '0' }, { Authorization: `Bearer ${token}` }, i));
} else if (mode === 'secret-views') {
  await race(Number(b), await secretViews(Number(a)));
} else if (mode === 'redeem') {
  await many(Number(a), Number(b), createToken, 8);
} else {
  console.error(`unknown mode ${mode}`);
  process.exit(2);
}
const tokens = Object.values(wins).reduce((x, y) => x + y, 0);
console.log(JSON.stringify({ tokens, requests, wins, statuses, seconds: (Date.now() - started) / 1000 }));
agent.destroy();
