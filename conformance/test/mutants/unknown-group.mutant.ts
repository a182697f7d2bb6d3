import { describeStore } from '../../src/index.js';
import { ReferenceStore } from '../support/reference-store.js';
import { SELF_TEST_OPTIONS } from './register.js';

// Not a mutant: a groups option naming no group must stop the suite from registering at all
// (a misspelt group would otherwise select nothing and pass). The self-test reads the error.
describeStore({
  ...SELF_TEST_OPTIONS,
  name: 'unknown group',
  factory: ({ clock }) => new ReferenceStore({ clock }),
  groups: ['iteration', 'iterations'],
});
