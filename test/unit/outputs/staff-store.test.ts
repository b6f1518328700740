import { MemoryStaffStore } from '../../../functions/adapters/memory/staff-store.js';
import { staffStoreConformance } from '../../support/staff-store-conformance.js';

staffStoreConformance('memory', async () => new MemoryStaffStore());
