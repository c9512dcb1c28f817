#!/usr/bin/env node
// A real JOSE peer for the black-box tests: Node `jose` (6.x) signs and verifies JWTs the way a
// third-party client or server would, so that otts is checked against an independent
// implementation rather than against itself.
//
//   jose_peer.mjs sign    HS256|HS384|ES256 KEYFILE PAYLOAD_JSON [HEADER_JSON]  -> prints the token
//   jose_peer.mjs verify  HS256|ES256 KEYFILE TOKEN                       -> prints the payload
//   jose_peer.mjs license PRIVATE_PEM_FILE CLAIMS_JSON                    -> prints license text
//
// HS256 keys are secret files read the way otts reads them (trailing CR/LF dropped, the rest
// used as bytes); ES256 keys are PEM files (PKCS#8 private for sign, SPKI public for verify;
// a private PEM also verifies). A license is an ES256 JWT {id, email, nbf, exp, ...} handed out
// as the standard base64 (with padding) of its compact form; missing id/nbf/exp are filled in
// (random UUID, now, now + 365 days). Exit 0 on success, 1 on any failure (message on stderr).
import { readFileSync } from 'node:fs';
import { createPrivateKey, createPublicKey, randomUUID } from 'node:crypto';
import { SignJWT, jwtVerify } from 'jose';

function readSecret(path) {
    let text = readFileSync(path, 'latin1');
    text = text.replace(/[\r\n]+$/, '');
    return Buffer.from(text, 'latin1');
}

function readKey(alg, path, forSigning) {
    if (alg.startsWith('HS')) return readSecret(path);
    if (alg !== 'ES256') throw new Error(`unsupported alg ${alg}`);
    const pem = readFileSync(path, 'utf8');
    if (forSigning) return createPrivateKey(pem);
    // A private PEM verifies too: derive its public half.
    return pem.includes('PRIVATE KEY') ? createPublicKey(createPrivateKey(pem)) : createPublicKey(pem);
}

async function sign(alg, keyPath, payloadJson, headerJson) {
    const payload = JSON.parse(payloadJson);
    const header = { typ: 'JWT', ...(headerJson ? JSON.parse(headerJson) : {}), alg };
    return new SignJWT(payload).setProtectedHeader(header).sign(readKey(alg, keyPath, true));
}

async function verify(alg, keyPath, token) {
    const { payload } = await jwtVerify(token, readKey(alg, keyPath, false), { algorithms: [alg] });
    return JSON.stringify(payload);
}

async function license(keyPath, claimsJson) {
    const now = Math.floor(Date.now() / 1000);
    const claims = { id: randomUUID(), nbf: now, exp: now + 365 * 86400, ...JSON.parse(claimsJson) };
    const jws = await new SignJWT(claims)
        .setProtectedHeader({ alg: 'ES256', typ: 'JWT' })
        .sign(readKey('ES256', keyPath, true));
    return Buffer.from(jws, 'utf8').toString('base64');
}

async function main(argv) {
    const [command, ...args] = argv;
    switch (command) {
        case 'sign': if (args.length >= 3) return sign(...args); break;
        case 'verify': if (args.length === 3) return verify(...args); break;
        case 'license': if (args.length === 2) return license(...args); break;
    }
    throw new Error('usage: jose_peer.mjs sign ALG KEY PAYLOAD [HEADER] | verify ALG KEY TOKEN | license PEM CLAIMS');
}

main(process.argv.slice(2)).then(
    (out) => { process.stdout.write(out + '\n'); },
    (err) => { process.stderr.write(`jose_peer: ${err.code ?? 'error'}: ${err.message}\n`); process.exitCode = 1; },
);
