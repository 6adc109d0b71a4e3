// The owner's memory end to end on the Qdrant index, on Qdrant's own engine (or the
// server QDRANT_URL names): the same scenarios as memory.test.ts runs on the embedded index.
import { memoryScenarios } from './support/memory-scenarios.ts';

memoryScenarios('qdrant');
