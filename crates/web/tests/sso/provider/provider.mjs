// A real OpenID Connect provider for jili's single sign-on test: oidc-provider (a certified
// implementation) with one static client (jili), a few accounts with a `department` claim, and
// login and consent forms of its own. Started by crates/web/tests/sso/main.rs with
//   CLIENT_SECRET=… REDIRECT_URI=http://127.0.0.1:<jili>/sso/callback node provider.mjs
// It listens on a free loopback port and prints `ISSUER http://127.0.0.1:<port>` when ready;
// it stops when its standard input closes (the test ended).
//
// Five accounts stand for an attacker or a misconfigured provider: the ID token the token
// endpoint gives for them is altered on its way out —
//   tamper:      a claim changed (department → the office's) without signing again;
//   expired:     signed again with the provider's key, but expired an hour ago;
//   wrongaud:    signed again with the provider's key, but for another client;
//   othernonce:  signed again, but carrying another login's nonce (a token replayed);
//   otherissuer: signed again, but naming another issuer.
// Each is signed (or not) exactly as a real provider's key would sign it; jili must refuse all.

import http from 'node:http';
import Provider from 'oidc-provider';
import * as jose from 'jose';

const { CLIENT_SECRET, REDIRECT_URI } = process.env;
if (!CLIENT_SECRET || !REDIRECT_URI) {
  console.error('provider.mjs: set CLIENT_SECRET and REDIRECT_URI');
  process.exit(2);
}

/** The accounts: login → password, name and the claim jili maps to a role. */
const ACCOUNTS = {
  'office-li': { password: 'pass-office', name: '李办公', department: 'hunan-office' },
  'lead-fgw': { password: 'pass-lead', name: '王发改', department: 'FGW' },
  'provider-tjj': { password: 'pass-provider', name: '赵统计', department: 'TJJ' },
  'unit-changsha': { password: 'pass-unit', name: '长沙市填报员', department: 'unit:430100' },
  stranger: { password: 'pass-stranger', name: '外单位人员', department: 'HR-999' },
  tamper: { password: 'pass-tamper', name: '篡改者', department: 'unit:430100', alter: 'tamper' },
  expired: { password: 'pass-expired', name: '过期者', department: 'FGW', alter: 'expired' },
  wrongaud: { password: 'pass-wrongaud', name: '错投者', department: 'FGW', alter: 'audience' },
  othernonce: { password: 'pass-othernonce', name: '重放者', department: 'FGW', alter: 'nonce' },
  otherissuer: { password: 'pass-otherissuer', name: '冒充者', department: 'FGW', alter: 'issuer' },
};

const { privateKey } = await jose.generateKeyPair('RS256', { extractable: true });
const signingKey = { ...(await jose.exportJWK(privateKey)), kid: 'jili-test-1', alg: 'RS256', use: 'sig' };

const server = http.createServer();
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const issuer = `http://127.0.0.1:${server.address().port}`;

const provider = new Provider(issuer, {
  clients: [{
    client_id: 'jili',
    client_secret: CLIENT_SECRET,
    redirect_uris: [REDIRECT_URI],
    grant_types: ['authorization_code'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_basic',
  }],
  jwks: { keys: [signingKey] },
  cookies: { keys: ['jili-sso-test-cookie-key'] },
  claims: { openid: ['sub'], profile: ['name', 'preferred_username', 'department'] },
  // The profile claims go into the ID token itself (jili reads no userinfo).
  conformIdTokenClaims: false,
  features: { devInteractions: { enabled: false } },
  pkce: { required: () => true },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  async findAccount(ctx, sub) {
    const a = ACCOUNTS[sub];
    if (!a) return undefined;
    return {
      accountId: sub,
      async claims() {
        return { sub, name: a.name, preferred_username: sub, department: a.department };
      },
    };
  },
});

const b64url = (text) => Buffer.from(text).toString('base64url');

// The token endpoint's answer for the three altered accounts.
provider.use(async (ctx, next) => {
  await next();
  if (ctx.path !== '/token' || ctx.status !== 200 || !ctx.body?.id_token) return;
  const token = ctx.body.id_token;
  const claims = jose.decodeJwt(token);
  const alter = ACCOUNTS[claims.sub]?.alter;
  if (!alter) return;
  const now = Math.floor(Date.now() / 1000);
  const resign = (payload) => new jose.SignJWT(payload)
    .setProtectedHeader({ alg: 'RS256', kid: signingKey.kid, typ: 'JWT' })
    .sign(privateKey);
  let altered;
  if (alter === 'tamper') {
    const [header, , signature] = token.split('.');
    altered = [header, b64url(JSON.stringify({ ...claims, department: 'hunan-office' })), signature].join('.');
  } else if (alter === 'expired') {
    altered = await resign({ ...claims, iat: now - 7200, exp: now - 3600 });
  } else if (alter === 'audience') {
    altered = await resign({ ...claims, aud: 'another-system' });
  } else if (alter === 'nonce') {
    altered = await resign({ ...claims, nonce: 'a-nonce-of-another-login' });
  } else {
    altered = await resign({ ...claims, iss: 'https://another-provider.example' });
  }
  ctx.body = { ...ctx.body, id_token: altered };
});

const escape = (s) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const page = (title, body) => `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>${title}</title></head>`
  + `<body><h1>${title}</h1>${body}</body></html>`;

async function readForm(req) {
  let body = '';
  for await (const chunk of req) {
    body += chunk;
    if (body.length > 10000) throw new Error('form too large');
  }
  return new URLSearchParams(body);
}

function send(res, status, html) {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
  res.end(html);
}

function loginPage(uid, message) {
  return page('统一身份认证', `${message ? `<p class="error">${escape(message)}</p>` : ''}`
    + `<form method="post" action="/interaction/${uid}/login">`
    + '<input name="login" autocomplete="username"> <input name="password" type="password">'
    + '<button type="submit">登录</button></form>');
}

// The login and consent steps (the provider sends the browser here while it asks).
async function interaction(req, res, uid, step) {
  const details = await provider.interactionDetails(req, res);
  if (req.method === 'GET') {
    if (details.prompt.name === 'login') return send(res, 200, loginPage(uid, ''));
    const scopes = details.prompt.details.missingOIDCScope || [];
    return send(res, 200, page('授权', `<p>${escape(details.params.client_id)} 请求：${escape(scopes.join(' '))}</p>`
      + `<form method="post" action="/interaction/${uid}/confirm"><button type="submit">同意</button></form>`));
  }
  if (step === 'login') {
    const form = await readForm(req);
    const login = form.get('login') || '';
    const account = ACCOUNTS[login];
    if (!account || account.password !== form.get('password')) {
      return send(res, 200, loginPage(uid, '用户名或密码不正确'));
    }
    return provider.interactionFinished(req, res, { login: { accountId: login } }, { mergeWithLastSubmission: false });
  }
  if (step === 'confirm') {
    const { prompt: { details: missing }, params, session: { accountId } } = details;
    const grant = details.grantId
      ? await provider.Grant.find(details.grantId)
      : new provider.Grant({ accountId, clientId: params.client_id });
    if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
    if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
    const grantId = await grant.save();
    const consent = details.grantId ? {} : { grantId };
    return provider.interactionFinished(req, res, { consent }, { mergeWithLastSubmission: true });
  }
  return send(res, 404, page('没有这一步', ''));
}

const callback = provider.callback();
server.on('request', async (req, res) => {
  const path = new URL(req.url, issuer).pathname;
  const m = path.match(/^\/interaction\/([A-Za-z0-9_-]+)(?:\/(login|confirm))?$/);
  if (!m) return callback(req, res);
  try {
    await interaction(req, res, m[1], m[2]);
  } catch (e) {
    if (!res.headersSent) send(res, 400, page('出错了', escape(e.message)));
  }
});

console.log(`ISSUER ${issuer}`);
process.stdin.on('end', () => process.exit(0));
process.stdin.on('error', () => process.exit(0));
process.stdin.resume();
