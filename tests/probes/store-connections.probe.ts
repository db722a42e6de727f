// Probe (not part of npm test) for the WebKit store's connection that never greets
// (docs/decisions/browsers.md): an observer, then pages one at a time that subscribe and update, then
// closed; after each step, what the store counts. Run in any engine:
//   TABWISE_BROWSERS=webkit node --import tsx --test --test-reporter=spec tests/probes/store-connections.probe.ts
// PROBE_PAGES (default 5).
import { browserSuite } from '../support/browser.ts';
import { statePage, stateStats } from '../browser/global-state-pages.ts';

browserSuite('probe: store connections', {}, (env) => {
  env.test('pages join one at a time, then close', { timeout: 600_000 }, async () => {
    const context = await env.newContext();
    const observer = await statePage(context, env.server.url);
    await observer.evaluate(() => new Promise((resolve) => window.tabwise.createGlobalState('probe', 0).subscribe(resolve)));
    const line = async (step: string) => {
      const stats = await stateStats(observer, 'probe', {});
      const value = await observer.evaluate(() => window.tabwise.createGlobalState('probe', 0).get());
      return `${step}: host ${stats.hostId.slice(0, 6)} connections ${stats.connections} subscribers ${stats.subscribers} version ${stats.version} value ${value}`;
    };
    const steps = [await line('observer')];
    const pages = [];
    for (let n = 1; n <= Number(process.env.PROBE_PAGES ?? 5); n++) {
      const page = await statePage(context, env.server.url);
      await page.evaluate(async () => {
        const probe = window.tabwise.createGlobalState('probe', 0);
        await new Promise((resolve) => probe.subscribe(resolve));
        await probe.update((count: number) => count + 1);
      });
      pages.push(page);
      steps.push(await line(`page ${n} joined`));
    }
    await new Promise((resolve) => setTimeout(resolve, 20_000));
    steps.push(await line('20 s later'));
    for (const [n, page] of pages.entries()) {
      await page.close();
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      steps.push(await line(`page ${n + 1} closed`));
    }
    await new Promise((resolve) => setTimeout(resolve, 20_000));
    steps.push(await line('20 s later'));
    console.log(steps.join('\n'));
  });
});
