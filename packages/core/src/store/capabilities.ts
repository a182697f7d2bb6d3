import type {
  IterableStore,
  Store,
  StoreCapabilities,
  TouchableStore,
  UserIndexStore,
} from './contract.js';

type CapabilityStore = {
  iterate: IterableStore;
  userIndex: UserIndexStore;
  touch: TouchableStore;
  versioned: Store;
};

/**
 * Narrows a store to the interface of a capability it declares, checking that the
 * declared methods really exist so a wrong declaration fails loudly.
 */
export function supports<C extends keyof StoreCapabilities>(
  store: Store,
  capability: C,
): store is CapabilityStore[C] {
  if (!store.capabilities[capability]) return false;
  switch (capability) {
    case 'iterate':
      return typeof store.iterate === 'function';
    case 'userIndex':
      return typeof store.listByUser === 'function' && typeof store.deleteByUser === 'function';
    case 'touch':
      return typeof store.touch === 'function';
    default:
      return true;
  }
}
