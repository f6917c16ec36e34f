import { readFileSync } from 'node:fs';
import { ConfigError, type Config } from './config.js';
import type { Agent } from 'undici';
import { createFetch, trustingDispatcher, type Fetch } from './http/outbound.js';
import { SUPEROFFICE_CALLBACK } from './http/paths.js';
import { GraphAppTokens, type MicrosoftSettings } from './microsoft/app-token.js';
import { DEFAULT_RETRY, type GraphRetryPolicy } from './microsoft/graph.client.js';
import { DelegatedGrants } from './microsoft/delegated-token.js';
import { EntraIdTokens } from './microsoft/id-token.js';
import { SecretBox } from './security/secret-box.js';
import { SuperOfficeOidc } from './superoffice/oidc.js';

/** The outside services the backend talks to, built once from configuration. */
export interface Integration {
  /** This backend's public origin: redirect URIs, and the only origin popups post to. */
  publicUrl: string;
  box: SecretBox;
  fetch: Fetch;
  /** The connection pool outbound HTTPS shares (trusting EXTRA_CA_FILE / the simulators), if any. */
  dispatcher: Agent | undefined;
  /** The extra CA certificates trusted (EXTRA_CA_FILE / the simulators'), PEM, for connections made with their own pool (the alerts webhook). */
  extraCa: string | undefined;
  superoffice: SuperOfficeOidc | null;
  /** Onsite sign-in with a `SOTicket` from the web panel URL, validated by this Web API. */
  superofficeOnsite: { webApiUrl: string; appToken?: string } | null;
  microsoft: {
    settings: MicrosoftSettings;
    tokens: GraphAppTokens;
    idTokens: EntraIdTokens;
    /** OAuth mode: the mailbox owners' delegated grants (accept-page code redemption, refresh). */
    grants: DelegatedGrants;
    retry: GraphRetryPolicy;
  } | null;
}

/** An integration with Microsoft 365 configured. */
export type MicrosoftIntegration = Integration & { microsoft: NonNullable<Integration['microsoft']> };

export function createIntegration(
  config: Config,
  options: { retry?: GraphRetryPolicy; extraCa?: string } = {},
): Integration | null {
  if (!config.superoffice && !config.superofficeOnsite && !config.microsoft) return null;
  if (!config.tokenEncryptionKey) {
    throw new ConfigError('Invalid configuration: TOKEN_ENCRYPTION_KEY is required to keep SuperOffice tokens at rest');
  }
  const extraCa = [options.extraCa, config.extraCaFile ? readFileSync(config.extraCaFile, 'utf8') : undefined]
    .filter(Boolean)
    .join('\n') || undefined;
  const dispatcher = trustingDispatcher(extraCa);
  const fetch = createFetch({ dispatcher });
  const ms = config.microsoft;
  const settings: MicrosoftSettings | null = ms
    ? {
        authorityUrl: ms.authorityUrl,
        graphUrl: ms.graphUrl,
        clientId: ms.clientId,
        clientSecret: ms.clientSecret,
        clientCertificate: ms.certificate
          ? { thumbprintSha256: ms.certificate.thumbprintSha256, privateKey: readFileSync(ms.certificate.keyFile, 'utf8') }
          : undefined,
      }
    : null;
  return {
    publicUrl: config.publicUrl,
    box: SecretBox.fromSetting(config.tokenEncryptionKey),
    fetch,
    dispatcher,
    extraCa,
    superoffice: config.superoffice
      ? new SuperOfficeOidc({ ...config.superoffice, redirectUri: config.publicUrl + SUPEROFFICE_CALLBACK }, fetch)
      : null,
    superofficeOnsite: config.superofficeOnsite,
    microsoft: settings
      ? {
          settings,
          tokens: new GraphAppTokens(settings, fetch),
          idTokens: new EntraIdTokens(settings, fetch),
          grants: new DelegatedGrants(settings, fetch),
          retry: options.retry ?? DEFAULT_RETRY,
        }
      : null,
  };
}
