// A real `ws` (npm) client for the S4 WebSocket black-box test. Connects to URL, optionally
// offering subprotocols, and prints one JSON line per event to stdout:
//   {"type":"open","protocol":"..."}   the handshake succeeded ("" when none was selected)
//   {"type":"message","data":"..."}    each text message, as received
//   {"type":"close","code":1000,"reason":"..."}
//   {"type":"error","message":"..."}
// Exits 0 after the server closes the connection, 1 on an error or after --timeout ms.
// With --stdin, each line read from standard input is sent as one text message.
// Usage: node ws_client.mjs URL [--protocol P]... [--send TEXT] [--stdin] [--timeout MS]
import { createInterface } from 'node:readline';
import WebSocket from 'ws';

const args = process.argv.slice(2);
const url = args.shift();
const protocols = [];
let send = null;
let timeoutMs = 10000;
let fromStdin = false;
while (args.length) {
    const flag = args.shift();
    if (flag === '--protocol') protocols.push(args.shift());
    else if (flag === '--send') send = args.shift();
    else if (flag === '--timeout') timeoutMs = Number(args.shift());
    else if (flag === '--stdin') fromStdin = true;
    else throw new Error(`unknown argument ${flag}`);
}

const emit = (event) => process.stdout.write(JSON.stringify(event) + '\n');
const ws = protocols.length ? new WebSocket(url, protocols) : new WebSocket(url);
const timer = setTimeout(() => {
    emit({ type: 'error', message: 'timeout' });
    process.exit(1);
}, timeoutMs);

ws.on('open', () => {
    emit({ type: 'open', protocol: ws.protocol });
    if (send !== null) ws.send(send);
    if (fromStdin) {
        // Lines arrive only after the open event, so each goes out in order.
        createInterface({ input: process.stdin }).on('line', (line) => ws.send(line));
    }
});
ws.on('message', (data, isBinary) => emit({ type: 'message', data: isBinary ? data.toString('base64') : data.toString() }));
ws.on('close', (code, reason) => {
    emit({ type: 'close', code, reason: reason.toString() });
    clearTimeout(timer);
    process.exit(0);
});
ws.on('error', (err) => {
    emit({ type: 'error', message: err.message });
    clearTimeout(timer);
    process.exit(1);
});
