// S2 (the l42 token handler and the dev IdP of `otts serve`) in Debian's chromium through
// playwright-core. A tiny frontend on http://localhost:PORT serves a test page at / and
// /auth/success and passes every /auth/* request through to otts unchanged (as CloudFront does
// for the original); otts runs with FRONTEND_URL=http://localhost:PORT. The browser signs in at
// the IdP page, reads /auth/me and /auth/token, makes a passkey with a CDP virtual authenticator
// and has otts check it (/auth/validate-credential), logs out and reads /auth/me again.
// Prints one "name: text" line per step for test_auth_browser.sh to check.
// Usage: node auth_browser.mjs PORT_FILE <<< OTTS_URL
// The frontend listens on a port of its own choosing and writes it to PORT_FILE (so no other
// process can take it between choice and use); otts, started with that FRONTEND_URL, is named
// on the first line of standard input.
import fs from "node:fs";
import http from "node:http";
import readline from "node:readline";
import { chromium } from "playwright-core";

const [portFile] = process.argv.slice(2);
const report = (name, text) => console.log(`${name}: ${String(text).replace(/\n/g, " | ")}`);

const PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>otts auth test</title></head><body>
<a id="login" href="/auth/login">Sign in</a>
<button id="me">me</button> <button id="token">token</button>
<button id="passkey">passkey</button> <button id="logout">logout</button>
<pre id="me-out"></pre><pre id="token-out"></pre><pre id="passkey-out"></pre><pre id="logout-out"></pre>
<script>
const show = (id, text) => { document.getElementById(id).textContent = text; };
const b64url = (buf) => btoa(String.fromCharCode(...new Uint8Array(buf)))
  .replace(/[+]/g, "-").replace(/[/]/g, "_").replace(/=+$/, "");
const hex = (bytes) => Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
const uuid = (bytes) => hex(bytes).replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, "$1-$2-$3-$4-$5");
document.getElementById("me").onclick = async () => {
  const r = await fetch("/auth/me", { credentials: "include" });
  show("me-out", r.status + " " + await r.text());
};
document.getElementById("token").onclick = async () => {
  const r = await fetch("/auth/token", { credentials: "include" });
  const text = await r.text();
  let d = {};
  try { d = JSON.parse(text); } catch {}
  const parts = (t) => typeof t === "string" ? t.split(".").length : 0;
  show("token-out", r.ok ? r.status + " access_token " + parts(d.access_token) + " parts, id_token " +
       parts(d.id_token) + " parts, auth_method " + d.auth_method : r.status + " " + text);
};
document.getElementById("passkey").onclick = async () => {
  try {
    const cred = await navigator.credentials.create({ publicKey: {
      challenge: crypto.getRandomValues(new Uint8Array(32)),
      rp: { name: "otts test", id: "localhost" },
      user: { id: crypto.getRandomValues(new Uint8Array(16)), name: "dev@example.com", displayName: "Dev" },
      pubKeyCredParams: [{ type: "public-key", alg: -7 }],
      authenticatorSelection: { userVerification: "required", residentKey: "required" },
      attestation: "none",
    } });
    // The AAGUID as the browser sees it: authenticator data bytes 37..53.
    const authData = new Uint8Array(cred.response.getAuthenticatorData());
    const r = await fetch("/auth/validate-credential", {
      method: "POST", credentials: "include",
      headers: { "Content-Type": "application/json", "X-L42-CSRF": "1" },
      body: JSON.stringify({ attestation_object: b64url(cred.response.attestationObject),
                             client_data_json: b64url(cred.response.clientDataJSON) }),
    });
    show("passkey-out", "aaguid " + uuid(authData.slice(37, 53)) + "\\n" + r.status + " " + await r.text());
  } catch (e) {
    show("passkey-out", "error " + e);
  }
};
document.getElementById("logout").onclick = async () => {
  const r = await fetch("/auth/logout", { method: "POST", credentials: "include", headers: { "X-L42-CSRF": "1" } });
  show("logout-out", r.status + " " + await r.text());
};
</script>
</body></html>
`;

// Hop-by-hop headers belong to each connection, not to the message.
const HOP = new Set(["connection", "keep-alive", "transfer-encoding", "proxy-connection", "upgrade"]);
const pairs = (raw) => {
  const out = [];
  for (let i = 0; i < raw.length; i += 2) if (!HOP.has(raw[i].toLowerCase())) out.push([raw[i], raw[i + 1]]);
  return out;
};

let upstream;  // otts, known once it has started with this frontend's URL
const server = http.createServer((req, res) => {
  const path = req.url.split("?")[0];
  if (path === "/auth" || path.startsWith("/auth/") && path !== "/auth/success") {
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      const headers = pairs(req.rawHeaders).filter(([k]) => k.toLowerCase() !== "content-length");
      if (body.length || req.method === "POST") headers.push(["Content-Length", String(body.length)]);
      const up = http.request({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url,
                                headers: headers.flat() }, (ur) => {
        res.writeHead(ur.statusCode, pairs(ur.rawHeaders).flat());
        ur.pipe(res);
      });
      up.on("error", (e) => { res.writeHead(502); res.end(String(e)); });
      up.end(body);
    });
    return;
  }
  if (path === "/" || path === "/auth/success") {
    res.writeHead(200, { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store" });
    res.end(PAGE);
    return;
  }
  res.writeHead(404);
  res.end();
});
await new Promise((resolve, reject) => { server.once("error", reject); server.listen(0, "127.0.0.1", resolve); });
const frontend = `http://localhost:${server.address().port}`;
fs.writeFileSync(`${portFile}.tmp`, String(server.address().port));
fs.renameSync(`${portFile}.tmp`, portFile);  // whole or absent for the test polling it
const lines = readline.createInterface({ input: process.stdin });
upstream = await new Promise((resolve, reject) => {
  lines.once("line", (line) => resolve(new URL(line.trim())));
  lines.once("close", () => reject(new Error("no otts URL on standard input")));
}).finally(() => lines.close());

const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  headless: true,
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"],
});
const t0 = Date.now();
const waitText = (page, id) => page.waitForFunction((i) => document.getElementById(i).textContent !== "", id);
try {
  const page = await browser.newPage();
  page.on("pageerror", (e) => report("pageerror", e));
  await page.goto(frontend + "/");
  await page.click("#login");
  await page.waitForSelector("#email");
  report("idp", new URL(page.url()).pathname);
  await page.fill("#email", "dev@example.com");
  await page.fill("#groups", "admin, editors");
  await Promise.all([page.waitForURL((u) => u.pathname === "/auth/success"), page.click("#sign-in")]);
  const landed = new URL(page.url());
  const cookies = async () => (await page.context().cookies(frontend)).map((c) => c.name).join(",") || "none";
  report("cookies", await cookies());
  report("landed", landed.origin + landed.pathname + (landed.searchParams.get("state") ? " with state" : " without state"));

  await page.click("#me");
  await waitText(page, "me-out");
  report("me", await page.textContent("#me-out"));
  await page.click("#token");
  await waitText(page, "token-out");
  report("token", await page.textContent("#token-out"));

  const cdp = await page.context().newCDPSession(page);
  await cdp.send("WebAuthn.enable");
  await cdp.send("WebAuthn.addVirtualAuthenticator", { options: {
    protocol: "ctap2", transport: "internal", hasResidentKey: true, hasUserVerification: true,
    isUserVerified: true, automaticPresenceSimulation: true } });
  await page.click("#passkey");
  await waitText(page, "passkey-out");
  const [aaguid, credential] = (await page.textContent("#passkey-out")).split("\n");
  report("authenticator", aaguid);
  if (credential !== undefined) report("credential", credential);

  await page.click("#logout");
  await waitText(page, "logout-out");
  report("logout", await page.textContent("#logout-out"));
  report("cookies after logout", await cookies());
  await page.evaluate(() => { document.getElementById("me-out").textContent = ""; });
  await page.click("#me");
  await waitText(page, "me-out");
  report("me after logout", await page.textContent("#me-out"));
  report("browser seconds", ((Date.now() - t0) / 1000).toFixed(1));
} catch (e) {
  report("error", e);
  process.exitCode = 1;
} finally {
  await browser.close();
  server.close();
  server.closeAllConnections();
}
