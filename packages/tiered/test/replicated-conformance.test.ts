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
  // The standard options are the inner stores': the wrapper passes their refusals through and
  // closes them (their cleanup timers) with itself.
  configure: (options) =>
    new ReplicatedStore(
      new MemoryStore(options),
      [new MemoryStore(options), new MemoryStore(options)],
      { closeInner: true },
    ),
  storeName: 'replicated',
  expectCapabilities: { versioned: true, iterate: true, userIndex: true, touch: true },
});
