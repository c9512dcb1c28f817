// S2 (the l42 token handler and the dev IdP of `otts serve`) in Debian's chromium through
// playwright-core. A tiny frontend on http://localhost:PORT serves a test page at / and
// /auth/success and passes every /auth/* request through to otts unchanged (as CloudFront does
// for the original); otts runs with FRONTEND_URL=http://localhost:PORT. The browser signs in at
// the IdP page, reads /auth/me and /auth/token, makes a passkey with a CDP virtual authenticator
// and has otts check it (/auth/validate-credential), logs out and reads /auth/me again. On the
// signed-in page it also does what l42's browser library asks of the handler (see AUTH_JS below)
// and, at the end, follows a callback carrying the IdP's error (a sign-in the user cancelled).
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
<button id="passkey">passkey</button> <button id="logout">logout</button> <button id="authjs">auth.js</button>
<pre id="me-out"></pre><pre id="token-out"></pre><pre id="passkey-out"></pre><pre id="logout-out"></pre>
<pre id="authjs-out"></pre>
<script>
// AUTH_JS: what l42's auth.js (lexicone42/l42-cognito-passkey, dist/auth.js 0.21.1) requires
// before it counts a user as signed in, restated here from reading it (none of its code is
// used): isAuthenticatedAsync() GETs the tokenEndpoint (401/403: signed out), then
// validateTokenClaims() on the id token: iss, when present, starts with
// https://cognito-idp.{cognitoRegion}.amazonaws.com/ (default region us-west-2); aud (else
// client_id) equals clientId; exp is a number at most 30 days ahead; and isTokenExpired() is
// false. requireServerAuthorization() POSTs {action, context[, resource]} to /auth/authorize with
// X-L42-CSRF: 1 and reads "authorized"; refreshTokensViaHandler() POSTs /auth/refresh alike.
// Stricter than auth.js in one place: an id token without iss fails here.
const AUTH_JS = { clientId: "otts-local", cognitoRegion: "us-west-2" };
const claimsOf = (jwt) => JSON.parse(atob(jwt.split(".")[1].replace(/-/g, "+").replace(/_/g, "/")));
const authJsProblems = (tokens) => {
  const c = claimsOf(tokens.id_token);
  const problems = [];
  const prefix = "https://cognito-idp." + AUTH_JS.cognitoRegion + ".amazonaws.com/";
  if (typeof c.iss !== "string" || !c.iss.startsWith(prefix)) problems.push("iss " + c.iss);
  if ((c.aud || c.client_id) !== AUTH_JS.clientId) problems.push("aud " + (c.aud || c.client_id));
  if (!c.exp || typeof c.exp !== "number") problems.push("no numeric exp");
  else if (c.exp > Date.now() / 1000 + 30 * 24 * 60 * 60) problems.push("exp beyond 30 days");
  else if (Date.now() >= c.exp * 1000) problems.push("expired");
  return problems.length ? problems.join(", ") : "true";
};
const handlerPost = (path, body) => fetch(path, {
  method: "POST", credentials: "include",
  headers: { "Content-Type": "application/json", "X-L42-CSRF": "1" },
  ...(body === undefined ? {} : { body: JSON.stringify(body) }),
});
document.getElementById("authjs").onclick = async () => {
  const out = [];
  try {
    const t = await fetch("/auth/token", { method: "GET", credentials: "include", headers: { Accept: "application/json" } });
    const tokens = t.ok ? await t.json() : null;
    out.push("iss " + (tokens ? claimsOf(tokens.id_token).iss : "none (" + t.status + ")"));
    out.push("authenticated " + (tokens ? authJsProblems(tokens) : "false (" + t.status + ")"));
    const a = await handlerPost("/auth/authorize", { action: "admin:delete-user", context: { targetUserId: "u-1" } });
    const decision = await a.json().catch(() => ({}));
    out.push("authorize " + a.status + " authorized " + (decision.authorized === true));
    const r = await handlerPost("/auth/refresh");
    const fresh = r.ok ? await r.json() : null;
    out.push("refresh " + r.status + " authenticated " + (fresh ? authJsProblems(fresh) : "false"));
  } catch (e) {
    out.push("error " + e);
  }
  show("authjs-out", out.join("\\n"));
};
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
  if (path === "/" || path === "/auth/success" || path === "/login") {
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

  await page.click("#authjs");
  await waitText(page, "authjs-out");
  for (const item of (await page.textContent("#authjs-out")).split("\n")) {
    const at = item.indexOf(" ");
    report("auth.js " + item.slice(0, at), item.slice(at + 1));
  }

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
  // A sign-in cancelled at the IdP: the IdP sends the browser to the callback with its error.
  await page.goto(frontend + "/auth/callback?error=access_denied&error_description=" +
                  encodeURIComponent("User cancelled the login") + "&state=page-made");
  const cancelled = new URL(page.url());
  report("cancelled", cancelled.pathname + cancelled.search);
  report("browser seconds", ((Date.now() - t0) / 1000).toFixed(1));
} catch (e) {
  report("error", e);
  process.exitCode = 1;
} finally {
  await browser.close();
  server.close();
  server.closeAllConnections();
}
