/** Authenticated encryption for secrets at rest (mailbox credentials). */
export { createSecretBox, keyIdOf } from './secret-box';
export type { SecretBox, SecretBoxOptions } from './secret-box';
