import { evaluationRepositoriesContract } from './evaluation-repositories.contract.js';
import { fakeSide, realSide } from './sides.js';

evaluationRepositoriesContract('InMemoryEvaluationRepository, InMemoryFollowUpRepository', async () => fakeSide());
evaluationRepositoriesContract('KnexEvaluationRepository, KnexFollowUpRepository (real PostgreSQL)', () => realSide());
