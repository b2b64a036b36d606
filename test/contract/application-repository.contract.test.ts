import { applicationRepositoryContract } from './application-repository.contract.js';
import { fakeSide, realSide } from './sides.js';

applicationRepositoryContract('InMemoryApplicationRepository', async () => fakeSide());
applicationRepositoryContract('KnexApplicationRepository (real PostgreSQL)', () => realSide());
