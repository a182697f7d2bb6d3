// prelude "store": a store for snippets that build their own SessionManager.
import { MemoryStore } from '@hallpass/memory';

const store = new MemoryStore();
