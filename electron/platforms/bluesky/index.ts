// Bluesky (AT Protocol) connector: app passwords, posts and threads as repo records on the
// account's PDS, notifications and metrics via the AppView, DMs via the chat service.
export { createBlueskyConnector } from './connector';
export { rkeyFor } from './rkey';
