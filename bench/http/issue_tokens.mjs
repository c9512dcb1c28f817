// Issues N one-time tokens from a running otts (GET /tokens), 64 requests at a time, and prints
// them one per line, for consume.lua. Usage: node issue_tokens.mjs URL N
const [url, n] = [process.argv[2], Number(process.argv[3])];
const out = [];
async function worker() {
  while (out.length < n) {
    const r = await fetch(`${url}/tokens`);
    out.push((await r.json()).token);
  }
}
await Promise.all(Array.from({ length: 64 }, worker));
process.stdout.write(out.slice(0, n).join('\n') + '\n');
