// `tabwise` command line: generate, chat, make-test-model, state-server.
import { chatCommand } from './cli/chat-command.js';
import { generateCommand } from './cli/generate-command.js';
import { makeTestModelCommand } from './cli/make-test-model.js';
import { stateServerCommand } from './cli/state-server-command.js';

const commands: Record<string, (argv: string[]) => Promise<number>> = {
  generate: generateCommand,
  chat: chatCommand,
  'make-test-model': makeTestModelCommand,
  'state-server': stateServerCommand,
};

const [name, ...argv] = process.argv.slice(2);
const command = commands[name ?? ''];
if (!command) {
  console.error(`usage: tabwise <${Object.keys(commands).join('|')}> [options]   (unknown command ${JSON.stringify(name ?? '')})`);
  process.exitCode = 2;
} else {
  command(argv).then(
    (code) => (process.exitCode = code),
    (error: Error) => {
      console.error(`tabwise ${name}: ${error.name === 'Error' ? '' : error.name + ': '}${error.message}`);
      process.exitCode = 1;
    },
  );
}
