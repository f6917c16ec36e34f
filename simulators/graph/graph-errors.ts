/**
 * Graph's error envelope: `{"error":{"code","message","innerError":{"date","request-id",
 * "client-request-id"}}}`. `date` is UTC without fraction or zone ("2021-05-18T19:03:10").
 */
export class GraphError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'GraphError';
  }
}

export interface RequestIds {
  requestId: string;
  clientRequestId: string;
}

export function graphDate(now = new Date()): string {
  return now.toISOString().slice(0, 19);
}

export function errorBody(code: string, message: string, ids: RequestIds): Record<string, unknown> {
  return {
    error: {
      code,
      message,
      innerError: { date: graphDate(), 'request-id': ids.requestId, 'client-request-id': ids.clientRequestId },
    },
  };
}

/** The throttling body exactly as throttling.md shows it (code, innerError with status, message). */
export function tooManyRequestsBody(ids: RequestIds): Record<string, unknown> {
  return {
    error: {
      code: 'TooManyRequests',
      innerError: {
        code: '429',
        date: graphDate(),
        message: 'Please retry after',
        'request-id': ids.requestId,
        status: '429',
      },
      message: 'Please retry again later.',
    },
  };
}

export const graphErrors = {
  noToken: () => new GraphError(401, 'InvalidAuthenticationToken', 'Access token is empty.'),
  malformedToken: () =>
    new GraphError(401, 'InvalidAuthenticationToken', "IDX14100: JWT is not well formed, there are no dots (.).\nThe token needs to be in JWS or JWE Compact Serialization Format. (JWS): 'EncodedHeader.EndcodedPayload.EncodedSignature'. (JWE): 'EncodedProtectedHeader.EncodedEncryptedKey.EncodedInitializationVector.EncodedCiphertext.EncodedAuthenticationTag'."),
  expiredToken: () => new GraphError(401, 'InvalidAuthenticationToken', 'Lifetime validation failed, the token is expired.'),
  invalidAudience: () => new GraphError(401, 'InvalidAuthenticationToken', 'Access token validation failure. Invalid audience.'),
  invalidToken: () => new GraphError(401, 'InvalidAuthenticationToken', 'Access token validation failure.'),
  insufficientPrivileges: () => new GraphError(403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.'),
  /** Outlook-backed routes (mailboxSettings, sendMail) deny with Exchange's code. */
  accessDenied: () => new GraphError(403, 'ErrorAccessDenied', 'Access is denied. Check credentials and try again.'),
  userNotFound: (id: string) =>
    new GraphError(404, 'Request_ResourceNotFound', `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`),
  mailboxNotEnabled: () =>
    new GraphError(404, 'MailboxNotEnabledForRESTAPI', 'The mailbox is either inactive, soft-deleted, or is hosted on-premise.'),
  segmentNotFound: (segment: string) => new GraphError(400, 'BadRequest', `Resource not found for the segment '${segment}'.`),
  methodNotAllowed: () => new GraphError(405, 'Request_BadRequest', 'Specified HTTP method is not allowed for the request target.'),
  badVersion: (version: string) => new GraphError(400, 'BadRequest', `Invalid version: ${version}`),
  invalidJson: () =>
    new GraphError(400, 'BadRequest', 'Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.'),
  badPageSize: (value: string) =>
    new GraphError(400, 'Request_UnsupportedQuery', `Invalid page size specified: '${value}'. Must be between 1 and 999 inclusive.`),
  unknownProperty: (name: string) =>
    new GraphError(400, 'Request_BadRequest', `Could not find a property named '${name}' on type 'microsoft.graph.user'.`),
  notImplementedOnCollection: (name: string) =>
    new GraphError(501, 'NotImplemented', `The property '${name}' can only be selected on a single user, not on the users collection.`),
  skipNotSupported: () => new GraphError(400, 'Request_BadRequest', "'$skip' is not supported by the service."),
  searchNeedsHeader: () =>
    new GraphError(400, 'Request_UnsupportedQuery', "Request with $search query parameter only works through MSGraph with a special request header: 'ConsistencyLevel: eventual'"),
  operatorNeedsAdvanced: (op: string) =>
    new GraphError(400, 'Request_UnsupportedQuery', `Operator '${op}' is not supported because the required parameters might be missing. Try adding $count=true query parameter and ConsistencyLevel:eventual header. Refer to https://aka.ms/graph-docs/advanced-queries for more information`),
  countSegmentNeedsHeader: () => new GraphError(400, 'Request_BadRequest', '$count is not currently supported.'),
  sortingNotSupported: () => new GraphError(400, 'Request_UnsupportedQuery', 'Sorting not supported for current query.'),
  unsupportedQuery: (detail: string) => new GraphError(400, 'Request_UnsupportedQuery', detail),
  invalidFilter: (detail: string) => new GraphError(400, 'BadRequest', `Invalid filter clause: ${detail}`),
  expiredPageToken: () =>
    new GraphError(400, 'Directory_ExpiredPageToken', 'The specified page token value has expired and can no longer be included in your request.'),
  badBatch: (message: string) => new GraphError(400, 'BadRequest', message),
  noRecipients: () => new GraphError(400, 'ErrorInvalidRecipients', 'At least one recipient is required, but none were found.'),
  invalidRecipient: () => new GraphError(400, 'ErrorInvalidRecipients', "At least one recipient isn't valid."),
  missingMessage: () => new GraphError(400, 'ErrorInvalidRequest', "The request body must contain a 'message' object."),
  mailboxConcurrency: (retryAfter: number) =>
    new GraphError(429, 'ApplicationThrottled', 'Application is over its MailboxConcurrency limit.', { 'Retry-After': String(retryAfter) }),
  serviceUnavailable: (retryAfter: number) =>
    new GraphError(503, 'serviceNotAvailable', 'Service Unavailable', { 'Retry-After': String(retryAfter) }),
} as const;
