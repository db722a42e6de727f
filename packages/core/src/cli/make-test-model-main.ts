// Entry point for `npx tsx packages/core/src/cli/make-test-model-main.ts …` (scripts/ensure-models.js).
import { makeTestModelCommand } from './make-test-model.js';

process.exitCode = await makeTestModelCommand(process.argv.slice(2));
