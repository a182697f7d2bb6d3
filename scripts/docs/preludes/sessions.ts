// prelude "sessions": the `sessions` manager the guides' snippets talk to, with every session
// field they use.
import { SessionManager as HallpassSessionManager } from '@hallpass/core';
import { MemoryStore as HallpassMemoryStore } from '@hallpass/memory';

type Data = {
  visits: number;
  views: number;
  flash: string;
  cart: string[];
  theme: 'light' | 'dark';
};

const sessions = new HallpassSessionManager<Data>({ store: new HallpassMemoryStore() });
