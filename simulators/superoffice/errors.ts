import type { Context } from 'koa';

/** What NetServer names as the source of service-layer exceptions. */
export const ERROR_SOURCE = 'SuperOffice.Services.Implementation';

/**
 * An error the Web API reports with SuperOffice's body. REST routes answer
 * `{"Error":true,"ErrorType","ErrorMessage","ErrorSource"}`; agent routes also carry `Message`
 * (the key the @superoffice/webapi tests show for agent errors).
 */
export class SoError extends Error {
  constructor(
    readonly status: number,
    readonly errorType: string,
    message: string,
  ) {
    super(message);
    this.name = 'SoError';
  }
}

export interface SoRestErrorBody {
  Error: true;
  ErrorType: string;
  ErrorMessage: string;
  ErrorSource: string;
}

export interface SoAgentErrorBody extends SoRestErrorBody {
  Message: string;
}

export function restErrorBody(errorType: string, message: string): SoRestErrorBody {
  return { Error: true, ErrorType: errorType, ErrorMessage: message, ErrorSource: ERROR_SOURCE };
}

export function agentErrorBody(errorType: string, message: string): SoAgentErrorBody {
  return { Error: true, ErrorType: errorType, Message: message, ErrorMessage: message, ErrorSource: ERROR_SOURCE };
}

export function isAgentPath(path: string): boolean {
  return /\/api\/v1\/agents\//i.test(path);
}

export function soErrorBody(path: string, errorType: string, message: string): SoRestErrorBody | SoAgentErrorBody {
  return isAgentPath(path) ? agentErrorBody(errorType, message) : restErrorBody(errorType, message);
}

/** Agents answer "not found" with 200 and a JSON `null` (Koa would turn a null body into 204). */
export function sendJsonNull(ctx: Context): void {
  ctx.status = 200;
  ctx.type = 'application/json';
  ctx.body = 'null';
}

/** OAuth 2.0 token-endpoint error (RFC 6749 §5.2). */
export class OAuthError extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    readonly description: string,
  ) {
    super(description);
    this.name = 'OAuthError';
  }
}
