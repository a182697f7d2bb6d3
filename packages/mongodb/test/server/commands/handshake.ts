/** Connection-level commands: the handshake the driver's monitor repeats, ping, buildInfo. */
import type { Document } from 'bson';
import type { CommandHandler } from './context.js';

/**
 * Driver 7 accepts wire versions 9 (MongoDB 4.4) to 29; 25 is MongoDB 8.0. No `setName` and
 * no `msg: 'isdbgrid'` make the driver see a standalone server; `logicalSessionTimeoutMinutes`
 * makes it send `lsid`, which every command accepts and ignores. No `topologyVersion`, so the
 * driver polls instead of opening a streaming (exhaust) monitor.
 */
const MAX_WIRE_VERSION = 25;

const hello: CommandHandler = (_command, context): Document => ({
  helloOk: true,
  isWritablePrimary: true,
  ismaster: true,
  maxBsonObjectSize: 16 * 1024 * 1024,
  maxMessageSizeBytes: 48_000_000,
  maxWriteBatchSize: 100_000,
  localTime: new Date(),
  logicalSessionTimeoutMinutes: 30,
  connectionId: context.connectionId,
  minWireVersion: 0,
  maxWireVersion: MAX_WIRE_VERSION,
  readOnly: false,
  ok: 1,
});

export const handshakeCommands: Record<string, CommandHandler> = {
  hello,
  isMaster: hello,
  ismaster: hello,
  ping: () => ({ ok: 1 }),
  buildInfo: () => ({
    version: '8.0.0',
    versionArray: [8, 0, 0, 0],
    gitVersion: 'hallpass-mongo-wire-test-server',
    bits: 64,
    maxBsonObjectSize: 16 * 1024 * 1024,
    ok: 1,
  }),
  endSessions: () => ({ ok: 1 }),
  killAllSessions: () => ({ ok: 1 }),
};
