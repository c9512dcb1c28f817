// Drives the emulator's web page (GET /) in Debian's chromium through playwright-core and
// prints what the page showed, one "name: text" line per step, for test_web_page.sh to check.
// Usage: node web_page.mjs URL [LICENSE_TEXT]
import { chromium } from "playwright-core";

const [url, license] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  headless: true,
  // As root, without a sandbox; and no background traffic to a network this machine lacks.
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"],
});
const report = (name, text) => console.log(`${name}: ${text.replace(/\n/g, " | ")}`);
try {
  const page = await browser.newPage();
  page.on("pageerror", (e) => report("pageerror", String(e)));
  await page.goto(url);
  report("title", await page.title());

  // S1: issue, validate, validate again.
  await page.click("#ot-issue");
  await page.waitForFunction(() => document.querySelector("#ot-token").textContent.includes("expires"));
  await page.click("#ot-validate");
  await page.waitForFunction(() => document.querySelector("#ot-result").textContent !== "");
  report("one-time first", await page.textContent("#ot-result"));
  await page.click("#ot-validate");
  await page.waitForFunction(() => !document.querySelector("#ot-result").textContent.startsWith("200"));
  report("one-time second", await page.textContent("#ot-result"));

  // S0: create token, solve in the Web Worker, redeem.
  await page.click("#pow-get");
  await page.waitForFunction(() => document.querySelector("#pow-challenge").textContent.includes("difficulty"));
  report("pow challenge", await page.textContent("#pow-challenge"));
  await page.click("#pow-solve");
  await page.waitForFunction(() => document.querySelector("#pow-progress").textContent.startsWith("solved"), null,
                             { timeout: 60000 });
  report("pow progress", await page.textContent("#pow-progress"));
  await page.click("#pow-redeem");
  await page.waitForFunction(() => document.querySelector("#pow-result").textContent !== "");
  report("pow redeem", await page.textContent("#pow-result"));

  // S0 secrets: share one (encrypted in the page, PoW in the worker), open its link in a fresh
  // page and reveal it; a second reveal finds it spent. Then the same with a passphrase.
  const share = async (text, passphrase) => {
    await page.goto(url);
    await page.fill("#secret-text", text);
    await page.fill("#secret-passphrase", passphrase);
    await page.click("#secret-create");
    await page.waitForFunction(() => document.querySelector("#secret-link").textContent.startsWith("http") ||
                                     document.querySelector("#secret-status").className === "bad", null, { timeout: 60000 });
    return (await page.textContent("#secret-link")) || (await page.textContent("#secret-status"));
  };
  const reveal = async (link, passphrase) => {
    const reader = await browser.newPage();
    reader.on("pageerror", (e) => report("pageerror", String(e)));
    await reader.goto(link);
    if (passphrase) await reader.fill("#reveal-passphrase", passphrase);
    await reader.click("#secret-reveal");
    await reader.waitForFunction(() => document.querySelector("#reveal-result").textContent !== "");
    const text = `${await reader.getAttribute("#reveal-result", "class")} ${await reader.textContent("#reveal-result")}`;
    await reader.close();
    return text;
  };
  const link = await share("page secret ✓", "");
  report("secret link", link);
  report("secret reveal", await reveal(link, ""));
  report("secret reveal again", await reveal(link, ""));
  const protectedLink = await share("guarded ✓", "open sesame");
  report("secret passphrase link", protectedLink);
  report("secret passphrase reveal", await reveal(protectedLink, "open sesame"));
  // Hand the link to test_web_page.sh's CLI check: otts secret get reads a page-made secret.
  report("secret for cli", await share("from the page", ""));

  if (license) {
    // S3 sign-in through the outbox, then an S4 user token and the WebSocket.
    await page.fill("#pin-license", license);
    await page.click("#pin-request");
    await page.waitForFunction(() => document.querySelector("#pin-sent").textContent !== "");
    report("pin sent", await page.textContent("#pin-sent"));
    await page.click("#pin-mail");
    await page.waitForFunction(() => document.querySelector("#pin-code").value.length === 6);
    await page.click("#pin-verify");
    await page.waitForFunction(() => document.querySelector("#pin-result").textContent !== "");
    report("pin verify", await page.textContent("#pin-result"));
    await page.click("#ws-user-token");
    await page.waitForFunction(() => document.querySelector("#ws-token").value !== "");
    await page.click("#ws-open");
    await page.waitForFunction(() => document.querySelector("#ws-log").textContent.includes("Connected"));
    report("ws", await page.textContent("#ws-log"));
  }
} catch (e) {
  report("error", String(e));
  process.exitCode = 1;
} finally {
  await browser.close();
}
