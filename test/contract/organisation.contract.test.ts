import { organisationContract } from './organisation.contract.js';
import { fakeSide, realSide } from './sides.js';

organisationContract('InMemoryOrganisation, InMemoryPersonnelRecords, InMemoryAbsences', async () => fakeSide());
organisationContract('KnexOrganisation, KnexPersonnelRecords, KnexAbsences (real PostgreSQL)', () => realSide());
