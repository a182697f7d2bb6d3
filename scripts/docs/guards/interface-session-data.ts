// Guard: session data may be declared with `interface` (not only `type`), and every optional
// option accepts an explicit `undefined` under exactOptionalPropertyTypes.
import { SessionManager } from '@hallpass/core';
import { MemoryStore } from '@hallpass/memory';

interface Data {
  visits: number;
  flash: string;
}

const idleTimeout: string | undefined = process.argv[2];
export const sessions = new SessionManager<Data>({ store: new MemoryStore(), idleTimeout });
export const none: unknown[] = await sessions.listUserSessions(null);
