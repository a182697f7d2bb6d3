import { describeStore } from '@hallpass/conformance';
import { mapStoreConformance } from './setup.js';

describeStore(mapStoreConformance());
