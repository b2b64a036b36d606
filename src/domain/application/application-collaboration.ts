import { ApplicationRun } from './application-run.js';

/** Working together on a task: transfer, delegate, add or remove signers, copy to, comment, urge. */
export abstract class ApplicationCollaboration extends ApplicationRun {}
