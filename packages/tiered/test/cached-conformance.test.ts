import { describeStore } from '@hallpass/conformance';
import { MemoryStore } from '@hallpass/memory';
import { CachedStore } from '../src/index.js';

// Each test gets its own shared store; freshStore() gives a second "process" with its own
// cache over a store of its own, as the suite expects of independent factory calls.
describeStore({
  name: 'cached over memory',
  factory: () => new CachedStore(new MemoryStore(), { closeInner: true }),
  expectCapabilities: { versioned: true, iterate: true, userIndex: true, touch: true },
});
