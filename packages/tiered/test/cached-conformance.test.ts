import { describeStore } from '@hallpass/conformance';
import { MemoryStore } from '@hallpass/memory';
import { CachedStore } from '../src/index.js';

const capabilities = { versioned: true, iterate: true, userIndex: true, touch: true };

// Every test gets its own backend, closed with the store.
describeStore({
  name: 'cached over memory',
  factory: () => new CachedStore(new MemoryStore(), { closeInner: true }),
  expectCapabilities: capabilities,
});

// The production shape: every factory call is another process with its own cache over one
// shared backend, which the wrapper must not close.
const shared = new MemoryStore();
describeStore({
  name: 'cached, every store a process over one shared memory store',
  factory: () => new CachedStore(shared),
  expectCapabilities: capabilities,
  cleanup: () => shared.close(),
});
