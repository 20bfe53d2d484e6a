import { constants, createHash, randomUUID, verify } from 'node:crypto';
import { startSim, type FaultPlan, type RunningSim, type SimReply, type SimRequest } from './http-sim.js';

/**
 * A loopback Microsoft identity platform token endpoint: what MSAL's client credentials flow
 * needs (POST /{tenant}/oauth2/v2.0/token with a client secret or a certificate-signed client
 * assertion), plus the tenant's OpenID metadata and instance discovery in case MSAL asks.
 * Errors carry Entra ID's bodies and AADSTS codes. Issued tokens are remembered, so the Graph
 * simulator can check the Bearer token and the application permissions (roles) it carries.
 */
export const MICROSOFT_SIM_TENANT = '11111111-2222-3333-4444-555555555555';
export const MICROSOFT_SIM_CLIENT_ID = '66666666-7777-8888-9999-000000000000';
export const MICROSOFT_SIM_SECRET = 'sim~client~secret~value';

export interface TokenSimOptions {
  tenantId?: string;
  clientId?: string;
  /** Accepted client secret ("" = secrets refused). */
  clientSecret?: string;
  /** Accepted certificate: its public key (PEM) and hex thumbprint (SHA-1 or SHA-256). */
  certificate?: { publicKeyPem: string; thumbprint: string };
  /** Application permissions granted to the app (default Calendars.ReadWrite). */
  roles?: string[];
  /** Token lifetime, seconds (Entra ID: 3599). */
  expiresIn?: number;
  now?: () => number;
  faults?: FaultPlan;
  port?: number;
}

export interface IssuedToken {
  token: string;
  roles: string[];
  expiresAt: number;
}

export interface TokenSim {
  url: string;
  tenantId: string;
  clientId: string;
  clientSecret: string;
  requests: SimRequest[];
  sim: RunningSim;
  /** Token requests answered with a token. */
  issued: IssuedToken[];
  /** What the Graph simulator checks: the token's grant, or why it is refused. */
  check(token: string): { ok: true; roles: string[] } | { ok: false; reason: 'unknown' | 'expired' };
  setRoles(roles: string[]): void;
  /** Makes every token issued so far expired (as if an hour passed). */
  expireAll(): void;
  close(): Promise<void>;
}

export async function startMicrosoftTokenSimulator(options: TokenSimOptions = {}): Promise<TokenSim> {
  const tenantId = options.tenantId ?? MICROSOFT_SIM_TENANT;
  const clientId = options.clientId ?? MICROSOFT_SIM_CLIENT_ID;
  const clientSecret = options.clientSecret ?? MICROSOFT_SIM_SECRET;
  const now = options.now ?? Date.now;
  let roles = options.roles ?? ['Calendars.ReadWrite'];
  const issued: IssuedToken[] = [];
  const byToken = new Map<string, IssuedToken>();

  const handler = (req: SimRequest): SimReply => {
    const parts = req.path.split('/').filter(Boolean);
    if (req.method === 'GET' && req.path === '/common/discovery/instance') return instanceDiscovery();
    if (parts[0]?.toLowerCase() !== tenantId.toLowerCase() && parts[0] !== 'common' && parts[0] !== 'organizations') {
      return aadError(400, 'invalid_request', 90002, `Tenant '${parts[0] ?? ''}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`);
    }
    if (req.method === 'GET' && parts.slice(1).join('/') === 'v2.0/.well-known/openid-configuration') return openIdConfiguration(tenantId);
    if (req.method !== 'POST' || parts.slice(1).join('/') !== 'oauth2/v2.0/token') return { status: 404, body: { error: 'not_found', error_description: `no route ${req.method} ${req.path}` } };

    const form = new URLSearchParams(req.body);
    if (form.get('grant_type') !== 'client_credentials') return aadError(400, 'unsupported_grant_type', 70003, 'The app requested an unsupported grant type.');
    const scope = form.get('scope') ?? '';
    if (!scope.split(' ').some((s) => /^https:\/\/graph\.microsoft\.(com|us)\/\.default$/.test(s))) {
      return aadError(400, 'invalid_scope', 1002012, `The provided value for scope ${scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`);
    }
    if (form.get('client_id') !== clientId) {
      return aadError(400, 'unauthorized_client', 700016, `Application with identifier '${form.get('client_id') ?? ''}' was not found in the directory '${tenantId}'. This can happen if the application has not been installed by the administrator of the tenant.`);
    }
    const secret = form.get('client_secret');
    const assertion = form.get('client_assertion');
    if (secret !== null) {
      if (clientSecret === '' || secret !== clientSecret) return aadError(401, 'invalid_client', 7000215, 'Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app.');
    } else if (assertion !== null) {
      const problem = checkAssertion(assertion, clientId, options.certificate);
      if (problem) return aadError(401, 'invalid_client', 700027, `Client assertion failed signature validation: ${problem}`);
    } else {
      return aadError(401, 'invalid_client', 7000218, "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.");
    }
    const lifetime = options.expiresIn ?? 3599;
    const token = fakeJwt({ aud: 'https://graph.microsoft.com', tid: tenantId, appid: clientId, roles, exp: Math.floor(now() / 1000) + lifetime, jti: randomUUID() });
    const grant: IssuedToken = { token, roles: [...roles], expiresAt: now() + lifetime * 1000 };
    issued.push(grant);
    byToken.set(token, grant);
    return { status: 200, body: { token_type: 'Bearer', expires_in: lifetime, ext_expires_in: lifetime, access_token: token } };
  };

  const sim = await startSim(handler, {
    port: options.port,
    faults: options.faults,
    faultBody: (status) => status === 429
      ? { error: 'temporarily_unavailable', error_description: 'AADSTS50196: The server terminated an operation because it encountered a client request loop.', error_codes: [50196] }
      : { error: 'temporarily_unavailable', error_description: 'AADSTS90033: A transient error has occurred. Please try again.', error_codes: [90033] },
  });

  return {
    url: sim.url,
    tenantId,
    clientId,
    clientSecret,
    requests: sim.requests,
    sim,
    issued,
    check(token) {
      const grant = byToken.get(token);
      if (!grant) return { ok: false, reason: 'unknown' };
      if (grant.expiresAt <= now()) return { ok: false, reason: 'expired' };
      return { ok: true, roles: grant.roles };
    },
    setRoles(next) {
      roles = [...next];
    },
    expireAll() {
      for (const grant of issued) grant.expiresAt = 0;
    },
    close: () => sim.close(),
  };
}

function aadError(status: number, error: string, code: number, description: string): SimReply {
  const traceId = randomUUID();
  return {
    status,
    body: {
      error,
      error_description: `AADSTS${code}: ${description} Trace ID: ${traceId} Correlation ID: ${randomUUID()} Timestamp: ${new Date().toISOString()}`,
      error_codes: [code],
      timestamp: new Date().toISOString(),
      trace_id: traceId,
      correlation_id: randomUUID(),
    },
  };
}

function openIdConfiguration(tenantId: string): SimReply {
  const base = `https://login.microsoftonline.com/${tenantId}`;
  return {
    status: 200,
    body: {
      token_endpoint: `${base}/oauth2/v2.0/token`,
      authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
      end_session_endpoint: `${base}/oauth2/v2.0/logout`,
      issuer: `https://login.microsoftonline.com/${tenantId}/v2.0`,
      jwks_uri: `${base}/discovery/v2.0/keys`,
      token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
    },
  };
}

function instanceDiscovery(): SimReply {
  return {
    status: 200,
    body: {
      tenant_discovery_endpoint: 'https://login.microsoftonline.com/{tenant}/v2.0/.well-known/openid-configuration',
      'api-version': '1.1',
      metadata: [{ preferred_network: 'login.microsoftonline.com', preferred_cache: 'login.windows.net', aliases: ['login.microsoftonline.com', 'login.windows.net', 'login.microsoft.com', 'sts.windows.net'] }],
    },
  };
}

/** Verifies a private_key_jwt client assertion the way Entra ID does; returns the problem or undefined. */
function checkAssertion(assertion: string, clientId: string, certificate: TokenSimOptions['certificate']): string | undefined {
  if (!certificate) return 'no certificate is registered for this application';
  const [h, p, s] = assertion.split('.');
  if (!h || !p || !s) return 'the assertion is not a JWT';
  let header: Record<string, unknown>;
  let payload: Record<string, unknown>;
  try {
    header = JSON.parse(Buffer.from(h, 'base64url').toString('utf8')) as Record<string, unknown>;
    payload = JSON.parse(Buffer.from(p, 'base64url').toString('utf8')) as Record<string, unknown>;
  } catch {
    return 'the assertion is not a JWT';
  }
  const thumb = certificate.thumbprint.replace(/[^0-9a-f]/gi, '').toLowerCase();
  const sent = typeof header['x5t#S256'] === 'string' ? header['x5t#S256'] : header.x5t;
  if (typeof sent !== 'string' || Buffer.from(sent, 'base64url').toString('hex') !== thumb) return `key was not found (thumbprint ${String(sent)})`;
  if (payload.iss !== clientId || payload.sub !== clientId) return 'iss and sub must be the client id';
  const data = Buffer.from(`${h}.${p}`);
  const signature = Buffer.from(s, 'base64url');
  const ok = header.alg === 'PS256'
    ? verify('sha256', data, { key: certificate.publicKeyPem, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }, signature)
    : header.alg === 'RS256' && verify('sha256', data, certificate.publicKeyPem, signature);
  return ok ? undefined : 'the signature does not match the registered certificate';
}

function fakeJwt(claims: Record<string, unknown>): string {
  const enc = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const body = `${enc({ typ: 'JWT', alg: 'RS256', kid: 'sim' })}.${enc(claims)}`;
  return `${body}.${createHash('sha256').update(body).digest('base64url')}`;
}
