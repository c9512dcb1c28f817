// A sealed.fyi browser client in Node: the same WebCrypto calls as sealed.fyi's
// frontend/js/crypto.js (crypto.webcrypto.subtle; AES-GCM 256 with a 12-byte IV, PBKDF2
// SHA-256 100,000 iterations over a 16-byte salt wrapping the content key; ciphertext, iv and
// salt in padded base64 as btoa makes them; the fragment in base64url) and the same requests as
// its api.js. test_secret_interop.sh checks otts against it in both directions.
//
//   node sealed_crypto.mjs create ENDPOINT [--passphrase-file F] [--views N] [--ttl S] < plaintext
//       → POST /token, PoW by a counter loop, POST /secrets; prints the link ENDPOINT/#id:fragment
//   node sealed_crypto.mjs get LINK ENDPOINT [--passphrase-file F]
//       → GET /secrets/{id} and decrypt; prints the plaintext (no newline added)
// Exit 0 on success, 3 when the server says not_available, 1 otherwise.
import { createHash, webcrypto } from "node:crypto";
import { readFileSync } from "node:fs";

const subtle = webcrypto.subtle;
const IV_LENGTH = 12;
const SALT_LENGTH = 16;
const ITERATIONS = 100000;

const b64 = (bytes) => Buffer.from(bytes).toString("base64"); // = btoa over the bytes
const unb64 = (text) => new Uint8Array(Buffer.from(text, "base64"));
const b64url = (bytes) => b64(bytes).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
const unb64url = (text) => unb64(text.replace(/-/g, "+").replace(/_/g, "/"));

const importAes = (raw) => subtle.importKey("raw", raw, { name: "AES-GCM", length: 256 }, true, ["encrypt", "decrypt"]);

async function wrappingKey(passphrase, salt) {
  const material = await subtle.importKey("raw", new TextEncoder().encode(passphrase), "PBKDF2", false,
                                          ["deriveBits", "deriveKey"]);
  return subtle.deriveKey({ name: "PBKDF2", salt, iterations: ITERATIONS, hash: "SHA-256" }, material,
                          { name: "AES-GCM", length: 256 }, true, ["encrypt", "decrypt"]);
}

async function encryptSecret(plaintext, passphrase) {
  const key = await subtle.generateKey({ name: "AES-GCM", length: 256 }, true, ["encrypt", "decrypt"]);
  const iv = webcrypto.getRandomValues(new Uint8Array(IV_LENGTH));
  const sealed = new Uint8Array(await subtle.encrypt({ name: "AES-GCM", iv }, key, new TextEncoder().encode(plaintext)));
  const raw = new Uint8Array(await subtle.exportKey("raw", key));
  if (!passphrase) return { payload: { ciphertext: b64(sealed), iv: b64(iv), salt: null }, fragment: b64url(raw) };
  const salt = webcrypto.getRandomValues(new Uint8Array(SALT_LENGTH));
  const wrapIv = webcrypto.getRandomValues(new Uint8Array(IV_LENGTH));
  const wrapped = new Uint8Array(await subtle.encrypt({ name: "AES-GCM", iv: wrapIv }, await wrappingKey(passphrase, salt), raw));
  const fragment = new Uint8Array(IV_LENGTH + wrapped.length);
  fragment.set(wrapIv, 0);
  fragment.set(wrapped, IV_LENGTH);
  return { payload: { ciphertext: b64(sealed), iv: b64(iv), salt: b64(salt) }, fragment: b64url(fragment) };
}

async function decryptSecret({ ciphertext, iv, salt }, fragment, passphrase) {
  let key;
  if (!salt) {
    key = await importAes(unb64url(fragment));
  } else {
    if (!passphrase) throw new Error("Passphrase required for this secret");
    const bytes = unb64url(fragment);
    const raw = await subtle.decrypt({ name: "AES-GCM", iv: bytes.slice(0, IV_LENGTH) }, await wrappingKey(passphrase, unb64(salt)),
                                     bytes.slice(IV_LENGTH));
    key = await importAes(raw);
  }
  const plain = await subtle.decrypt({ name: "AES-GCM", iv: unb64(iv) }, key, unb64(ciphertext));
  return new TextDecoder().decode(plain);
}

// sealed.fyi's PoW: SHA-256(prefix + nonce + counter) with `difficulty` leading zero bits.
function solve(prefix, nonce, difficulty) {
  for (let counter = 0; ; counter++) {
    const digest = createHash("sha256").update(prefix + nonce + counter).digest();
    let bits = 0;
    for (const byte of digest) {
      if (byte === 0) { bits += 8; continue; }
      bits += Math.clz32(byte) - 24;
      break;
    }
    if (bits >= difficulty) return String(counter);
  }
}

async function api(base, path, options = {}) {
  const headers = { ...(options.headers || {}) };
  if (options.body) headers["Content-Type"] = "application/json";
  const response = await fetch(base.replace(/\/$/, "") + path, { ...options, headers });
  const text = await response.text();
  const data = text ? JSON.parse(text) : null;
  if (!response.ok) {
    const error = new Error(`${path}: ${response.status} ${text}`);
    error.code = data && data.error;
    throw error;
  }
  return data;
}

function option(args, name) {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

function passphraseOf(args) {
  const file = option(args, "--passphrase-file");
  return file ? readFileSync(file, "utf8").replace(/[\r\n]+$/, "") : null;
}

async function create(args) {
  const endpoint = args[0];
  const plaintext = readFileSync(0, "utf8");
  const passphrase = passphraseOf(args);
  const issued = await api(endpoint, "/token", { method: "POST" });
  const pow = solve(issued.powChallenge.prefix, issued.nonce, issued.powChallenge.difficulty);
  const { payload, fragment } = await encryptSecret(plaintext, passphrase);
  const created = await api(endpoint, "/secrets", {
    method: "POST",
    headers: { Authorization: `Bearer ${issued.token}` },
    body: JSON.stringify({ ...payload, nonce: issued.nonce, pow, ttl: Number(option(args, "--ttl") || 3600),
                           maxViews: Number(option(args, "--views") || 1), passphraseProtected: !!passphrase }),
  });
  process.stdout.write(`${endpoint.replace(/\/$/, "")}/#${created.id}:${fragment}\n`);
}

async function get(args) {
  const [link, endpoint] = args;
  const hash = link.slice(link.indexOf("#") + 1);
  const colon = hash.indexOf(":");
  const id = hash.slice(0, colon);
  const secret = await api(endpoint, `/secrets/${encodeURIComponent(id)}`, { method: "GET" });
  process.stdout.write(await decryptSecret(secret, hash.slice(colon + 1), passphraseOf(args)));
}

const [command, ...rest] = process.argv.slice(2);
try {
  if (command === "create") await create(rest);
  else if (command === "get") await get(rest);
  else throw new Error(`unknown command ${command}`);
} catch (e) {
  console.error(`sealed_crypto: ${e.message}`);
  process.exit(e.code === "not_available" ? 3 : 1);
}
