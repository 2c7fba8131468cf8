/**
 * IMAP plumbing shared by ingress (watches folders) and fetcher (downloads
 * messages): settings, connections, and the translation of imapflow errors.
 */
export * from './classify-imap-error';
export * from './imap-settings';
export * from './open-imap-client';
export * from './imap-auth';
export * from './oauth-token';
export * from './imap-login';
