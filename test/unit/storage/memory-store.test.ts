// The store conformance suite on the in-memory store (what `simulate` and the handlers' unit tests run on).
import { MemoryEventStore } from '../../../functions/adapters/memory/event-store.js';
import { eventStoreConformance } from '../../support/event-store-conformance.js';

eventStoreConformance('in-memory store', { newStore: async () => new MemoryEventStore() });
