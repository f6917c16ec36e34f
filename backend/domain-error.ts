import type { ErrorCode } from './http/error-codes.js';

/**
 * What went wrong, in the product's terms. Repositories and the SuperOffice / Microsoft clients
 * throw these; the error handler (http/errors.ts) gives each kind its HTTP status, in one place.
 */
export type FailureKind =
  | 'invalid'
  | 'unauthenticated'
  | 'forbidden'
  | 'notFound'
  | 'conflict'
  | 'throttled'
  /** The outside service answered, but refused or did not have what was asked. */
  | 'upstreamRefused'
  /** The outside service did not answer (as expected). */
  | 'unavailable';

export interface FailureDetail {
  path?: string;
  code?: string;
  message: string;
  [key: string]: unknown;
}

export class DomainError extends Error {
  /** How long the outside service asked us to wait (seconds), when it said. */
  retryAfterSeconds?: number;
  readonly details: FailureDetail[] = [];

  constructor(readonly kind: FailureKind, readonly code: ErrorCode, message: string) {
    super(message);
    this.name = 'DomainError';
  }
}
