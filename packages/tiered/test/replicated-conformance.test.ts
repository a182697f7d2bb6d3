import { describeStore } from '@hallpass/conformance';
import { MemoryStore } from '@hallpass/memory';
import { ReplicatedStore } from '../src/index.js';

describeStore({
  name: 'replicated memory to two memory secondaries',
  // ReplicatedStore decides nothing by time: its primary and secondaries read the clock.
  factory: ({ clock }) =>
    new ReplicatedStore(
      new MemoryStore({ clock }),
      [new MemoryStore({ clock }), new MemoryStore({ clock })],
      {
        closeInner: true,
        onReplicationError: ({ error }) => {
          // Memory secondaries never fail: a failure here is a bug in the replication.
          throw error;
        },
      },
    ),
  storeName: 'replicated',
  expectCapabilities: { versioned: true, iterate: true, userIndex: true, touch: true },
});
