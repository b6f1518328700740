// The embedded OpenID provider of `npm start` and the tests: a real one (the npm package oidc-provider, certified
// by the OpenID Foundation), on loopback, so that the sign-in handler talks to it over HTTP exactly as it would to
// Entra ID, Okta or Cognito (discovery, the authorization code flow with PKCE, a client secret at the token
// endpoint, an ID token signed with its own key and checked against its JWKS). Its accounts are the staff of
// local/config/staff.json; its login page lists them (no password: it is a demo on this machine, on loopback
// only). Groups go into the ID token (conformIdTokenClaims: false), as Entra ID, Okta and Cognito put theirs.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { html, type Html } from '../functions/web/html.js';
import type { LocalStaff } from './config/index.js';

export interface LocalOidcOptions {
  staff: LocalStaff[];
  /**
   * The client's registered redirect URIs (`<base URL>/callback`), or a function of the issuer giving them (for a
   * caller that can only know them once the issuer's address is known: the deployed suite synthesizes the stack
   * with this issuer first).
   */
  redirectUris: string[] | ((issuer: string) => Promise<string[]>);
  clientId?: string;
  clientSecret?: string;
  port?: number;
  /** A label per group (the role it maps to), shown on the login page. */
  describeGroups?: (groups: string[]) => string;
}

export interface LocalOidcProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  stop(): Promise<void>;
}

/**
 * oidc-provider 9 prints "Unsupported runtime" on Node.js 20 (it is tested upstream on 22 and later); it runs
 * here on 20 (the local and CI suites do), so that one notice is kept out of `npm start`'s output.
 */
async function importProvider() {
  const warn = console.warn;
  console.warn = (...args: unknown[]) => {
    if (!String(args[0]).includes('Unsupported runtime')) warn(...args);
  };
  try {
    const [{ default: Provider }, { createMemoryAdapter }] = await Promise.all([
      import('oidc-provider'),
      import('oidc-provider/lib/adapters/memory_adapter.js'),
    ]);
    return { Provider, createMemoryAdapter };
  } finally {
    console.warn = warn;
  }
}

async function formOf(req: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > 10_000) throw new Error('form too large');
    chunks.push(chunk as Buffer);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

/**
 * The login page's headers. Its form's answer redirects back to Bridgekeeper's callback, and browsers apply
 * form-action to the redirects after a form post too: the client's redirect origins are allowed there.
 */
function sender(redirectUris: readonly string[]) {
  const origins = [...new Set(redirectUris.map((u) => new URL(u).origin))].join(' ');
  return (res: ServerResponse, status: number, body: Html): void => {
    res.writeHead(status, {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      'content-security-policy': `default-src 'none'; style-src 'unsafe-inline'; form-action 'self' ${origins}`,
      'x-frame-options': 'DENY',
    });
    res.end(body.value);
  };
}

function frame(title: string, body: Html): Html {
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <title>${title}</title>
        <style>
          body {
            font:
              16px/1.5 system-ui,
              sans-serif;
            max-width: 44rem;
            margin: 2rem auto;
            padding: 0 1rem;
          }
          li {
            list-style: none;
            margin: 0.5rem 0;
          }
          button {
            font: inherit;
            padding: 0.4rem 0.8rem;
            cursor: pointer;
            min-width: 16rem;
            text-align: left;
          }
          .muted {
            color: #555;
            font-size: 0.9rem;
          }
        </style>
      </head>
      <body>
        ${body}
      </body>
    </html>`;
}

export async function startLocalOidc(options: LocalOidcOptions): Promise<LocalOidcProvider> {
  const { Provider, createMemoryAdapter } = await importProvider();
  const clientId = options.clientId ?? 'bridgekeeper-local';
  const clientSecret = options.clientSecret ?? randomBytes(24).toString('base64url');
  const byEmail = new Map(options.staff.map((s) => [s.email, s]));
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  let redirectUris: string[];
  try {
    redirectUris =
      typeof options.redirectUris === 'function' ? await options.redirectUris(issuer) : options.redirectUris;
  } catch (error) {
    server.close();
    throw error;
  }
  const signingKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' });

  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: redirectUris,
        response_types: ['code'],
        grant_types: ['authorization_code'],
        token_endpoint_auth_method: 'client_secret_basic',
      },
    ],
    // Scope -> claims. Groups travel with `profile` and, with conformIdTokenClaims off, in the ID token itself.
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name', 'groups'] },
    conformIdTokenClaims: false,
    scopes: ['openid', 'email', 'profile'],
    pkce: { required: () => true },
    features: { devInteractions: { enabled: false } },
    interactions: { url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}` },
    async findAccount(_ctx: unknown, id: string) {
      const person = byEmail.get(id);
      if (!person) return undefined;
      return {
        accountId: id,
        async claims() {
          return {
            sub: id,
            email: person.email,
            email_verified: true,
            name: person.name,
            groups: person.groups,
          };
        },
      };
    },
    adapter: createMemoryAdapter(0),
    jwks: { keys: [{ ...signingKey, kid: 'local-1', alg: 'RS256', use: 'sig' }] },
    cookies: { keys: [randomBytes(32).toString('hex')] },
    ttl: {
      AuthorizationCode: 60,
      AccessToken: 600,
      IdToken: 600,
      Interaction: 600,
      Session: 8 * 3600,
      Grant: 8 * 3600,
    },
    clientBasedCORS: () => false,
    async renderError(ctx: { type: string; body: string }, out: Record<string, string>) {
      ctx.type = 'html';
      ctx.body = frame(
        'Sign-in error',
        html`<h1>Sign-in error (embedded provider)</h1>
          <p>${out.error ?? 'error'}: ${out.error_description ?? ''}</p>`,
      ).value;
    },
  });
  const callback = provider.callback();
  const send = sender(redirectUris);

  const loginPage = (uid: string) =>
    frame(
      'Sign in · embedded OpenID provider',
      html`<h1>Sign in to Bridgekeeper</h1>
        <p class="muted">
          The embedded OpenID provider of <code>npm start</code>. On AWS this is the bank's identity provider
          (Entra ID, Okta, Cognito). Choose who you are: no password, this runs only on this machine.
        </p>
        <form method="post" action="/interaction/${uid}/login">
          <ul>
            ${options.staff.map(
              (s) =>
                html`<li>
                  <button type="submit" name="email" value="${s.email}">${s.name}</button>
                  <span class="muted"
                    >${s.email} · ${options.describeGroups?.(s.groups) ?? s.groups.join(', ')}</span
                  >
                </li>`,
            )}
          </ul>
        </form>`,
    );

  async function interaction(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    const match = /^\/interaction\/([\w-]+)(\/login)?$/.exec(path);
    if (!match) return send(res, 404, frame('Not found', html`<h1>Not found</h1>`));
    const details = await provider.interactionDetails(req, res);
    if (!match[2]) return send(res, 200, loginPage(details.uid));
    if (req.method !== 'POST') return send(res, 405, frame('Not allowed', html`<h1>POST only</h1>`));
    const email = (await formOf(req)).get('email') ?? '';
    if (!byEmail.has(email)) return send(res, 400, loginPage(details.uid));
    // Signed in and consented in one step (Bridgekeeper is the bank's own application).
    const grant = new provider.Grant({ accountId: email, clientId: String(details.params.client_id) });
    grant.addOIDCScope(String(details.params.scope ?? 'openid'));
    const grantId = await grant.save();
    await provider.interactionFinished(
      req,
      res,
      { login: { accountId: email }, consent: { grantId } },
      { mergeWithLastSubmission: false },
    );
  }

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? '/', issuer).pathname;
    if (!path.startsWith('/interaction/')) return callback(req, res);
    interaction(req, res, path).catch((error: unknown) => {
      if (!res.headersSent)
        send(
          res,
          400,
          frame(
            'Sign-in expired',
            html`<h1>This sign-in expired</h1>
              <p>${(error as Error).message}. Go back to Bridgekeeper and sign in again.</p>`,
          ),
        );
      else res.end();
    });
  });

  return {
    issuer,
    clientId,
    clientSecret,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
