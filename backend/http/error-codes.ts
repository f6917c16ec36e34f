/**
 * Every `error.code` the API answers with (`{"error":{"code","message","details"}}`), and the
 * codes a sign-in or consent popup posts to the panel. `ApiError` and `SignInError` take only
 * these, so a new code must be added here; the panel translates each one (panel/src/api).
 * No imports: the panel's type-check reads this file.
 */
export const ERROR_CODES = [
  // The HTTP edge: parsing, routing, limits, and the error handler's fallbacks.
  'BadRequest',
  'InvalidJson',
  'InvalidPath',
  'ValidationFailed',
  'PayloadTooLarge',
  'UnsupportedMediaType',
  'MethodNotAllowed',
  'NotImplemented',
  'NotFound',
  'Forbidden',
  'RateLimited',
  'Conflict',
  'InternalError',
  'PanelNotBuilt',
  // Sessions.
  'Unauthenticated',
  'InvalidSession',
  'AdminRequired',
  // Sign-in with SuperOffice, and the Microsoft 365 approval (admin consent) popup.
  'InvalidState',
  'InvalidIdToken',
  'IdentityMismatch',
  'InvalidTicket',
  'WrongTenant',
  'TokenRequestRefused',
  'SignInCancelled',
  'LoginRequired',
  'InvalidCallback',
  'SignInRefused',
  'ConsentDeclined',
  'ConsentIncomplete',
  'ConsentTenantMismatch',
  // SuperOffice.
  'SuperOfficeNotConfigured',
  'SuperOfficeSignInRequired',
  'SuperOfficeAccessDenied',
  'SuperOfficeUnavailable',
  // Microsoft 365.
  'MicrosoftNotConfigured',
  'MicrosoftNotConnected',
  'MicrosoftConsentRequired',
  'MicrosoftCredentialsRejected',
  'MicrosoftThrottled',
  'MicrosoftNotFound',
  'MicrosoftRequestRefused',
  'MicrosoftUnavailable',
  'InvalidCursor',
  // Links.
  'AlreadyLinked',
  'LinkNotFound',
  'VersionConflict',
  // Invites, the accept page, authorizations.
  'InviteSenderRequired',
  'InviteSenderNotFound',
  'InviteSenderAmbiguous',
  'InviteNotFound',
  'InviteExpired',
  'InviteRevoked',
  'InviteAlreadyUsed',
  'InviteAlreadyAccepted',
  'SignInAgain',
  'WrongOrganisation',
  'MailboxMismatch',
  'AdminApprovalRequired',
  'AcceptBySignIn',
  'AuthorizationNotFound',
  // Sync now, Resume synchronization.
  'SyncDisabled',
  'SyncWaitingAuthorization',
  'SyncNotStopped',
  // Undo: removed users (restore, purge) and recent actions.
  'RemovedLinkNotFound',
  'UndoNotFound',
  'AlreadyUndone',
  'UndoExpired',
  'NothingToUndo',
  'ChangedSinceAction',
  // The health report.
  'HealthIgnoreNotFound',
  'RepointNotPossible',
  // Alerts.
  'AlertRecipientRefused',
  'AlertsNothingToSend',
  'AlertsNotConfigured',
  // CSV export and import of links.
  'CsvUnreadable',
  'ImportStale',
  'ImportHasRefusedRows',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];
