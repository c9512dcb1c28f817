#!/usr/bin/env node
// A real JOSE peer for the black-box tests: Node `jsonwebtoken` (9.x), the library most Express
// and Lambda code signs with (S0 and S4 originals use it).
//
//   jsonwebtoken_peer.mjs sign   HS256|HS384|ES256 KEYFILE PAYLOAD_JSON [HEADER_JSON]  -> the token
//   jsonwebtoken_peer.mjs verify HS256|ES256 KEYFILE TOKEN                       -> the payload
//
// HS256 keys are secret files read the way otts reads them (trailing CR/LF dropped); ES256 keys
// are PEM files (a private PEM also verifies). The payload is signed exactly as given (no
// automatic iat, a given iat kept). Exit 0 on success, 1 on any failure (message on stderr).
import { readFileSync } from 'node:fs';
import { createPrivateKey, createPublicKey } from 'node:crypto';
import jwt from 'jsonwebtoken';

function readKey(alg, path, forSigning) {
    if (alg.startsWith('HS')) {
        return Buffer.from(readFileSync(path, 'latin1').replace(/[\r\n]+$/, ''), 'latin1');
    }
    if (alg !== 'ES256') throw new Error(`unsupported alg ${alg}`);
    const pem = readFileSync(path, 'utf8');
    if (forSigning) return createPrivateKey(pem);
    return pem.includes('PRIVATE KEY') ? createPublicKey(createPrivateKey(pem)) : createPublicKey(pem);
}

function main(argv) {
    const [command, alg, keyPath, arg, headerJson] = argv;
    if (command === 'sign' && arg !== undefined) {
        const payload = JSON.parse(arg);
        // noTimestamp drops even a given iat; without it a given iat is kept as is.
        const options = { algorithm: alg, noTimestamp: !('iat' in payload) };
        if (headerJson) options.header = JSON.parse(headerJson);
        return jwt.sign(payload, readKey(alg, keyPath, true), options);
    }
    if (command === 'verify' && arg !== undefined && headerJson === undefined) {
        return JSON.stringify(jwt.verify(arg, readKey(alg, keyPath, false), { algorithms: [alg] }));
    }
    throw new Error('usage: jsonwebtoken_peer.mjs sign ALG KEY PAYLOAD [HEADER] | verify ALG KEY TOKEN');
}

try {
    process.stdout.write(main(process.argv.slice(2)) + '\n');
} catch (err) {
    process.stderr.write(`jsonwebtoken_peer: ${err.name ?? 'error'}: ${err.message}\n`);
    process.exitCode = 1;
}
