import { MemoryStore } from '@hallpass/memory';
import session from 'express-session';
import createMemoryStore from 'memorystore';
import type { BackendDef } from './types.ts';

const DAY_MS = 24 * 60 * 60 * 1000;

/** In-process stores: nothing but the libraries themselves is measured. */
export const memoryBackend: BackendDef = {
  name: 'memory',
  servers: [],
  contenders: [
    {
      id: 'memory/hallpass',
      backend: 'memory',
      label: 'hallpass MemoryStore',
      library: 'hallpass',
      async build() {
        // Unbounded like the express-session stores it is compared with.
        const store = new MemoryStore({ maxSessions: Number.POSITIVE_INFINITY });
        return { library: 'hallpass', store, close: () => store.close() };
      },
    },
    {
      id: 'memory/express-session',
      backend: 'memory',
      label: 'express-session MemoryStore',
      library: 'express-session',
      async build() {
        return {
          library: 'express-session',
          store: new session.MemoryStore(),
          close: async () => {},
        };
      },
    },
    {
      id: 'memory/memorystore',
      backend: 'memory',
      label: 'express-session + memorystore',
      library: 'express-session',
      async build() {
        const Store = createMemoryStore(session);
        const store = new Store({ checkPeriod: DAY_MS });
        return {
          library: 'express-session',
          store,
          close: async () => store.stopInterval(),
        };
      },
    },
  ],
};
