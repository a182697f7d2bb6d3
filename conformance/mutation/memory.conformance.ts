import { describeStore } from '@hallpass/conformance';
import { MemoryStore } from '../../packages/memory/src/index.js';
import { MUTATION_SCALE } from './scale.js';

// packages/memory/test/memory.test.ts without its store-specific extras.
describeStore({
  name: 'memory',
  factory: ({ clock }) => new MemoryStore({ clock }),
  expectCapabilities: { versioned: true, iterate: true, userIndex: true, touch: true },
  scale: MUTATION_SCALE,
});
