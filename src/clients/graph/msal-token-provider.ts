import { readFileSync } from 'node:fs';
import { ConfidentialClientApplication, LogLevel, type Configuration } from '@azure/msal-node';
import { ProviderError, errorMessage } from '../../support/errors.js';
import type { Logger } from '../../support/logger.js';
import { toTokenError } from './graph-error.js';
import { LoopbackNetworkClient } from './loopback-network-client.js';

export interface MsalTokenOptions {
  tenantId: string;
  clientId: string;
  clientSecret?: string;
  /** Certificate credentials instead of a secret: hex thumbprint (SHA-1 or SHA-256) and a PEM private key file. */
  certificate?: { thumbprint: string; privateKeyPath: string };
  /** https://login.microsoftonline.com, a national cloud, or an http://127.0.0.1:PORT simulator. */
  authorityHost: string;
  /** The resource, e.g. https://graph.microsoft.com/.default. */
  scope: string;
  /** Per-request limit when the authority is a loopback simulator (MSAL's own client has none of ours). */
  timeoutMs?: number;
  logger: Logger;
}

export interface AccessTokenProvider {
  getAccessToken(): Promise<string>;
}

/** Hosts MSAL knows without instance discovery. */
const KNOWN_HOSTS = new Set(['login.microsoftonline.com', 'login.microsoftonline.us', 'login.chinacloudapi.cn', 'login.microsoft.com', 'login.windows.net', 'login.partner.microsoftonline.cn']);
/** What MSAL is told when the real host is a loopback simulator (MSAL refuses http:// authorities). */
const STAND_IN_HOST = 'https://login.microsoftonline.com';

/**
 * App-only tokens through MSAL's client credentials flow. MSAL keeps the token in its
 * in-memory cache and asks for a new one shortly before it expires, so callers simply ask
 * before every request. An http:// authority host (a simulator) is reached through a network
 * client that sends MSAL's requests there; MSAL itself sees login.microsoftonline.com.
 */
export function createMsalTokenProvider(options: MsalTokenOptions): AccessTokenProvider {
  const host = new URL(options.authorityHost);
  const loopback = host.protocol === 'http:';
  const authorityBase = loopback ? STAND_IN_HOST : `${host.origin}${host.pathname.replace(/\/+$/, '')}`;
  const auth: Configuration['auth'] = {
    clientId: options.clientId,
    authority: `${authorityBase}/${encodeURIComponent(options.tenantId)}`,
  };
  if (!loopback && !KNOWN_HOSTS.has(host.hostname)) auth.knownAuthorities = [host.hostname];
  if (options.clientSecret) {
    auth.clientSecret = options.clientSecret;
  } else if (options.certificate?.privateKeyPath) {
    auth.clientCertificate = certificateOf(options.certificate);
  } else {
    throw new ProviderError('Microsoft credentials are missing: set microsoft.clientSecret (or MICROSOFT_CLIENT_SECRET), or microsoft.certificate.thumbprint and privateKeyPath', {
      provider: 'microsoft', retryable: false, code: 'MICROSOFT_SECRET',
    });
  }
  const logger = options.logger;
  const app = new ConfidentialClientApplication({
    auth,
    system: {
      networkClient: loopback ? new LoopbackNetworkClient(new URL(STAND_IN_HOST), host, options.timeoutMs) : undefined,
      loggerOptions: {
        piiLoggingEnabled: false,
        logLevel: LogLevel.Warning,
        loggerCallback: (level, message) => {
          if (level <= LogLevel.Error) logger.error({ msal: message.slice(0, 500) }, 'MSAL error');
          else logger.debug({ msal: message.slice(0, 500) }, 'MSAL');
        },
      },
    },
  });

  return {
    async getAccessToken() {
      let result;
      try {
        result = await app.acquireTokenByClientCredential({ scopes: [options.scope] });
      } catch (error) {
        throw toTokenError(error, options.authorityHost);
      }
      if (!result?.accessToken) {
        throw new ProviderError('Microsoft sign-in returned no access token; check microsoft.authorityHost', { provider: 'microsoft', retryable: true });
      }
      return result.accessToken;
    },
  };
}

function certificateOf(certificate: { thumbprint: string; privateKeyPath: string }): NonNullable<Configuration['auth']['clientCertificate']> {
  let privateKey: string;
  try {
    privateKey = readFileSync(certificate.privateKeyPath, 'utf8');
  } catch (error) {
    throw new ProviderError(`cannot read the certificate's private key at microsoft.certificate.privateKeyPath (${(error as NodeJS.ErrnoException).code ?? errorMessage(error)})`, {
      provider: 'microsoft', retryable: false, code: 'MICROSOFT_CERTIFICATE', cause: error,
    });
  }
  const thumbprint = certificate.thumbprint.replace(/[^0-9a-f]/gi, '').toLowerCase();
  // The portal shows SHA-1 thumbprints (40 hex digits); a SHA-256 one has 64.
  if (thumbprint.length === 64) return { thumbprintSha256: thumbprint, privateKey };
  if (thumbprint.length === 40) return { thumbprint, privateKey };
  throw new ProviderError('microsoft.certificate.thumbprint must be the certificate\'s hex thumbprint (40 hex digits for SHA-1, 64 for SHA-256)', {
    provider: 'microsoft', retryable: false, code: 'MICROSOFT_CERTIFICATE',
  });
}
