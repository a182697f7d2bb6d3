import { describeStore } from '@hallpass/conformance';
import { MemoryStore } from '@hallpass/memory';
import { CachedStore } from '../src/index.js';

const capabilities = { versioned: true, iterate: true, userIndex: true, touch: true };

// Every test gets its own backend, closed with the store.
describeStore({
  name: 'cached over memory',
  factory: ({ clock }) => new CachedStore(new MemoryStore({ clock }), { closeInner: true, clock }),
  // The standard options are the inner store's: the wrapper passes its refusals through and
  // closes it (its cleanup timer) with itself.
  configure: (options) =>
    new CachedStore(new MemoryStore(options), { closeInner: true, clock: options.clock }),
  storeName: 'cached',
  expectCapabilities: capabilities,
});

// The production shape: every factory call is another process with its own cache over one
// shared backend, which the wrapper must not close. The backend reads the current test's clock.
let testClock: () => number = Date.now;
const shared = new MemoryStore({ clock: () => testClock() });
describeStore({
  name: 'cached, every store a process over one shared memory store',
  factory: ({ clock }) => {
    testClock = clock;
    return new CachedStore(shared, { clock });
  },
  storeName: 'cached',
  expectCapabilities: capabilities,
  cleanup: () => shared.close(),
});
