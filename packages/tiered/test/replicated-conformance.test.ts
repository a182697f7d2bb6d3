import { describeStore } from '@hallpass/conformance';
import { MemoryStore } from '@hallpass/memory';
import { ReplicatedStore } from '../src/index.js';

// The default 300 ms expiry is too tight on a loaded 2-core CI machine writing 10 000 sessions
// through a wrapper (one run reached a short-lived session 222 ms after its expiry).
const timing = { expiryMs: 1_000 };

describeStore({
  name: 'replicated memory to two memory secondaries',
  factory: () =>
    new ReplicatedStore(new MemoryStore(), [new MemoryStore(), new MemoryStore()], {
      closeInner: true,
      onReplicationError: ({ error }) => {
        // Memory secondaries never fail: a failure here is a bug in the replication.
        throw error;
      },
    }),
  expectCapabilities: { versioned: true, iterate: true, userIndex: true, touch: true },
  timing,
});
