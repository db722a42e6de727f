// Entry of startStateServerProcess(): `tabwise state-server` from source.
import { runStateServerCli } from '../../packages/server/src/cli.ts';

process.exitCode = await runStateServerCli(process.argv.slice(2));
