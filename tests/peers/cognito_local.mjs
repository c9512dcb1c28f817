#!/usr/bin/env node
// A real Cognito peer for the black-box tests of otts's l42 token handler (S2): drives
// cognito-local (package.json devDependency, started by the test script on 127.0.0.1) through
// the cognito-idp JSON API the way the AWS SDK would: POST / with
// `X-Amz-Target: AWSCognitoIdentityProviderService.<Op>` and `application/x-amz-json-1.1`.
// No AWS SDK is needed (nor installed): plain fetch.
//
//   cognito_local.mjs setup BASE_URL CALLBACK_URL
//       Creates user pool A with
//         - app client "otts" (no secret) and app client "otts-secret" (with a secret), both
//           allowing the code flow back to CALLBACK_URL (cognito-local checks redirect_uri
//           against CallbackURLs; it never checks a client secret),
//         - app client "other" (aud-mismatch tests),
//         - group "admins" and user alice@example.com (permanent password) in it,
//       and user pool B (client + user bob@example.com) for wrong-issuer tests. Signs in with
//       InitiateAuth USER_PASSWORD_AUTH for each client, verifies every id token with `jose`
//       against the JWKS URL (RS256, kid, iss, aud) and prints one JSON object:
//         {base_url, pool_id, client_id, client_secret_client: {client_id, client_secret},
//          issuer, jwks_url, email, password, sub, groups, tokens: {AccessToken, IdToken,
//          RefreshToken}, other_client: {client_id, tokens}, other_pool: {pool_id, client_id,
//          issuer, tokens}}
//   cognito_local.mjs refresh BASE_URL CLIENT_ID REFRESH_TOKEN
//       InitiateAuth REFRESH_TOKEN_AUTH; prints the AuthenticationResult.
//   cognito_local.mjs hosted-login AUTHORIZE_URL USERNAME PASSWORD
//       Plays the browser on cognito-local's hosted UI: GET AUTHORIZE_URL (the login form),
//       POST the form's hidden fields with the credentials to /oauth2/authorize, and prints
//       the redirect (Location: CALLBACK_URL?code=...&state=...) as {status, location}.
//
// Exit 0 on success, 1 on any failure (message on stderr).
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';

const TARGET = 'AWSCognitoIdentityProviderService';

async function idp(base, op, body) {
    const res = await fetch(new URL('/', base), {
        method: 'POST',
        headers: { 'X-Amz-Target': `${TARGET}.${op}`, 'Content-Type': 'application/x-amz-json-1.1' },
        body: JSON.stringify(body),
    });
    const text = await res.text();
    let data;
    try { data = JSON.parse(text); } catch { data = { raw: text }; }
    if (!res.ok || data.__type) throw new Error(`${op}: HTTP ${res.status}: ${text}`);
    return data;
}

async function createPool(base, name) {
    const { UserPool } = await idp(base, 'CreateUserPool', {
        PoolName: name,
        UsernameAttributes: ['email'],
        AutoVerifiedAttributes: ['email'],
    });
    return UserPool.Id;
}

async function createClient(base, poolId, name, callbackUrl, secret) {
    const { UserPoolClient } = await idp(base, 'CreateUserPoolClient', {
        UserPoolId: poolId,
        ClientName: name,
        GenerateSecret: secret,
        ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
        AllowedOAuthFlowsUserPoolClient: true,
        AllowedOAuthFlows: ['code'],
        AllowedOAuthScopes: ['openid', 'email', 'profile', 'aws.cognito.signin.user.admin'],
        SupportedIdentityProviders: ['COGNITO'],
        CallbackURLs: [callbackUrl],
    });
    return { client_id: UserPoolClient.ClientId, client_secret: UserPoolClient.ClientSecret ?? null };
}

async function createUser(base, poolId, email, password) {
    const { User } = await idp(base, 'AdminCreateUser', {
        UserPoolId: poolId,
        Username: email,
        MessageAction: 'SUPPRESS',
        UserAttributes: [
            { Name: 'email', Value: email },
            { Name: 'email_verified', Value: 'true' },
        ],
    });
    await idp(base, 'AdminSetUserPassword', { UserPoolId: poolId, Username: email, Password: password, Permanent: true });
    return User.Attributes.find((a) => a.Name === 'sub').Value;
}

async function passwordAuth(base, clientId, email, password) {
    const out = await idp(base, 'InitiateAuth', {
        AuthFlow: 'USER_PASSWORD_AUTH',
        ClientId: clientId,
        AuthParameters: { USERNAME: email, PASSWORD: password },
    });
    const r = out.AuthenticationResult;
    if (!r?.AccessToken || !r?.IdToken || !r?.RefreshToken) throw new Error(`InitiateAuth: no tokens: ${JSON.stringify(out)}`);
    return { AccessToken: r.AccessToken, IdToken: r.IdToken, RefreshToken: r.RefreshToken };
}

// What otts must accept: RS256 with a kid the JWKS serves, iss = the pool's issuer, aud = the
// client. A peer that drifted from this would make the otts half of the test meaningless.
async function checkIdToken(token, { issuer, jwksUrl, clientId, email, groups }) {
    const header = decodeProtectedHeader(token);
    if (header.alg !== 'RS256' || !header.kid) throw new Error(`id token header ${JSON.stringify(header)}`);
    const jwks = await (await fetch(jwksUrl)).json();
    if (!jwks.keys?.some((k) => k.kid === header.kid)) throw new Error(`kid ${header.kid} not in ${jwksUrl}`);
    const { payload } = await jwtVerify(token, createRemoteJWKSet(new URL(jwksUrl)), {
        algorithms: ['RS256'], issuer, audience: clientId,
    });
    if (payload.token_use !== 'id' || payload.email !== email) throw new Error(`id token claims ${JSON.stringify(payload)}`);
    if (groups && JSON.stringify(payload['cognito:groups'] ?? []) !== JSON.stringify(groups)) {
        throw new Error(`id token groups ${JSON.stringify(payload['cognito:groups'])}, wanted ${JSON.stringify(groups)}`);
    }
    return payload;
}

async function setup(base, callbackUrl) {
    const issuerOf = (pool) => `${base}/${pool}`;
    const password = 'Passw0rd!otts-test';

    const poolId = await createPool(base, 'otts-a');
    const main = await createClient(base, poolId, 'otts', callbackUrl, false);
    const secretClient = await createClient(base, poolId, 'otts-secret', callbackUrl, true);
    const other = await createClient(base, poolId, 'other', callbackUrl, false);
    const email = 'alice@example.com';
    const sub = await createUser(base, poolId, email, password);
    await idp(base, 'CreateGroup', { UserPoolId: poolId, GroupName: 'admins', Description: 'otts test group' });
    await idp(base, 'AdminAddUserToGroup', { UserPoolId: poolId, Username: email, GroupName: 'admins' });

    const issuer = issuerOf(poolId);
    const jwksUrl = `${issuer}/.well-known/jwks.json`;
    const tokens = await passwordAuth(base, main.client_id, email, password);
    const claims = await checkIdToken(tokens.IdToken, { issuer, jwksUrl, clientId: main.client_id, email, groups: ['admins'] });
    if (claims.sub !== sub) throw new Error(`id token sub ${claims.sub}, user sub ${sub}`);
    const otherTokens = await passwordAuth(base, other.client_id, email, password);
    await checkIdToken(otherTokens.IdToken, { issuer, jwksUrl, clientId: other.client_id, email, groups: ['admins'] });

    const poolB = await createPool(base, 'otts-b');
    const clientB = await createClient(base, poolB, 'otts-b', callbackUrl, false);
    const emailB = 'bob@example.com';
    await createUser(base, poolB, emailB, password);
    const tokensB = await passwordAuth(base, clientB.client_id, emailB, password);
    await checkIdToken(tokensB.IdToken, {
        issuer: issuerOf(poolB), jwksUrl: `${issuerOf(poolB)}/.well-known/jwks.json`, clientId: clientB.client_id, email: emailB,
    });

    return {
        base_url: base,
        pool_id: poolId,
        client_id: main.client_id,
        client_secret_client: secretClient,
        issuer,
        jwks_url: jwksUrl,
        email,
        password,
        sub,
        groups: ['admins'],
        tokens,
        other_client: { client_id: other.client_id, tokens: otherTokens },
        other_pool: { pool_id: poolB, client_id: clientB.client_id, issuer: issuerOf(poolB), tokens: tokensB },
    };
}

async function refresh(base, clientId, refreshToken) {
    const out = await idp(base, 'InitiateAuth', {
        AuthFlow: 'REFRESH_TOKEN_AUTH', ClientId: clientId, AuthParameters: { REFRESH_TOKEN: refreshToken },
    });
    return out.AuthenticationResult;
}

function decodeEntities(s) {
    return s.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

async function hostedLogin(authorizeUrl, username, password) {
    const page = await fetch(authorizeUrl, { redirect: 'manual' });
    const html = await page.text();
    if (page.status !== 200) throw new Error(`GET ${authorizeUrl}: HTTP ${page.status}: ${html}`);
    const action = html.match(/<form[^>]*action="([^"]*)"/);
    if (!action) throw new Error(`no login form: ${html}`);
    const form = new URLSearchParams();
    for (const m of html.matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)"/g)) form.set(m[1], decodeEntities(m[2]));
    form.set('username', username);
    form.set('password', password);
    const res = await fetch(new URL(action[1], authorizeUrl), {
        method: 'POST', redirect: 'manual',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: form.toString(),
    });
    const location = res.headers.get('location');
    if (res.status < 300 || res.status >= 400 || !location) {
        throw new Error(`POST /oauth2/authorize: HTTP ${res.status}: ${await res.text()}`);
    }
    return { status: res.status, location };
}

const [cmd, ...args] = process.argv.slice(2);
try {
    let out;
    if (cmd === 'setup' && args.length === 2) out = await setup(args[0].replace(/\/+$/, ''), args[1]);
    else if (cmd === 'refresh' && args.length === 3) out = await refresh(...args);
    else if (cmd === 'hosted-login' && args.length === 3) out = await hostedLogin(...args);
    else throw new Error('usage: cognito_local.mjs setup BASE_URL CALLBACK_URL | refresh BASE_URL CLIENT_ID REFRESH_TOKEN | hosted-login AUTHORIZE_URL USERNAME PASSWORD');
    process.stdout.write(`${JSON.stringify(out)}\n`);
} catch (e) {
    process.stderr.write(`cognito_local.mjs: ${e.message}\n`);
    process.exit(1);
}
