// `tabwise state-server …`: the server lives in @tabwise/server (ws, Redis), loaded only for this command.
export const stateServerUsage =
  'usage: tabwise state-server [--port 8787] [--host 127.0.0.1] [--redis redis://…] [--allow-origin URL]… [--allow-any-origin] [--path /tabwise-state]';

export async function stateServerCommand(argv: string[]): Promise<number> {
  let cli: { runStateServerCli(argv: string[]): Promise<number> };
  try {
    // A computed specifier: @tabwise/core does not depend on @tabwise/server; it is installed beside it.
    const serverCli = '@tabwise/server/cli';
    cli = await import(serverCli);
  } catch (error) {
    console.error(`tabwise state-server needs @tabwise/server: npm install @tabwise/server (${(error as Error).message})`);
    return 1;
  }
  return cli.runStateServerCli(argv);
}
