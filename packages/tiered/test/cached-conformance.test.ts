import { describeStore } from '@hallpass/conformance';
import { MemoryStore } from '@hallpass/memory';
import { CachedStore } from '../src/index.js';

// The default 300 ms expiry is too tight on a loaded 2-core CI machine writing 10 000 sessions
// through a wrapper (one run reached a short-lived session 222 ms after its expiry).
const timing = { expiryMs: 1_000 };

const capabilities = { versioned: true, iterate: true, userIndex: true, touch: true };

// Every test gets its own backend, closed with the store.
describeStore({
  name: 'cached over memory',
  factory: () => new CachedStore(new MemoryStore(), { closeInner: true }),
  expectCapabilities: capabilities,
  timing,
});

// The production shape: every factory call is another process with its own cache over one
// shared backend, which the wrapper must not close.
const shared = new MemoryStore();
describeStore({
  name: 'cached, every store a process over one shared memory store',
  factory: () => new CachedStore(shared),
  expectCapabilities: capabilities,
  timing,
  cleanup: () => shared.close(),
});
