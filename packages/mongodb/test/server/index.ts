export { supportedCommands } from './commands/dispatch.js';
export { MongoWireServer, type MongoWireServerOptions } from './server.js';
