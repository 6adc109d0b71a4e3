// Builds the workflow bundle cache ahead of time (worker/workflow-bundle.ts): the Docker
// image does, so its containers start without bundling.
import { cachedWorkflowBundle } from '../worker/workflow-bundle.ts';

const bundle = await cachedWorkflowBundle();
process.stdout.write(`Workflow bundle ${bundle.rebuilt ? 'built' : 'already up to date'}.\n`);
