/**
 * The events Postroom publishes, generated from proto/ by buf (never edit
 * src/gen by hand: `npm run gen`), and the subjects they travel on.
 */
export * from './gen/postroom/common/v1/common_pb';
export * from './gen/postroom/mail/v1/mail_pb';
export * from './gen/postroom/ticket/v1/ticket_pb';
export * from './gen/postroom/ticket/v1/commands_pb';
export * from './gen/postroom/outbound/v1/outbound_pb';
export * from './gen/postroom/mailbox/v1/mailbox_pb';
export * from './gen/postroom/attachment/v1/attachment_pb';
export * from './subjects';
export * from './mail-id';
export { create, toBinary, fromBinary, toJson, fromJson, clone } from '@bufbuild/protobuf';
export type { GenMessage } from '@bufbuild/protobuf/codegenv2';
export { encodeWithEmbedded } from './embedded-bytes';
