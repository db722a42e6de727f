// `tabwise` command line: generate, chat, make-test-model.
import { chatCommand, chatUsage } from './cli/chat-command.js';
import { generateCommand, generateUsage } from './cli/generate-command.js';
import { makeTestModelCommand, makeTestModelUsage } from './cli/make-test-model.js';

const commands: Record<string, { run: (argv: string[]) => Promise<number>; usage: string }> = {
  generate: { run: generateCommand, usage: generateUsage },
  chat: { run: chatCommand, usage: chatUsage },
  'make-test-model': { run: makeTestModelCommand, usage: makeTestModelUsage },
};
const isHelpFlag = (arg: string | undefined) => arg === '--help' || arg === '-h';
const allUsage = () => Object.values(commands).map(({ usage }) => usage).join('\n');

const [name, ...argv] = process.argv.slice(2);
const command = commands[name ?? ''];
if (isHelpFlag(name) || name === 'help') {
  console.log(allUsage());
} else if (!command) {
  console.error(`tabwise: unknown command ${JSON.stringify(name ?? '')}\n${allUsage()}`);
  process.exitCode = 2;
} else if (argv.some(isHelpFlag)) {
  console.log(command.usage);
} else {
  command.run(argv).then(
    (code) => (process.exitCode = code),
    (error: Error) => {
      console.error(`tabwise ${name}: ${error.name === 'Error' ? '' : error.name + ': '}${error.message}`);
      process.exitCode = 1;
    },
  );
}
