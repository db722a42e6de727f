// Helpers shared by the global-state browser tests: pages of tests/pages/global-state/ and polling.
import type { EngineContext, TestPage } from '../support/browser.ts';

export type StatePage = TestPage;

/** Options passed to createGlobalState() in the pages; `transport` absent means the default choice. */
export interface StateOptions {
  transport?: 'shared-worker' | 'broadcast-channel' | 'in-tab';
  name?: string;
  persist?: boolean;
}

/** A test page with the bundle loaded (page.warnings() has its console warnings). */
export async function statePage(context: EngineContext, baseUrl: string, path = 'index.html'): Promise<StatePage> {
  const page = await context.newPage(`${baseUrl}/tests/pages/global-state/${path}`);
  await page.waitForSelector('body[data-ready]', { what: `the global-state page ${path} to load the bundle` });
  return page;
}

export function statePages(context: EngineContext, baseUrl: string, count: number, path?: string): Promise<StatePage[]> {
  return Promise.all(Array.from({ length: count }, () => statePage(context, baseUrl, path)));
}

export interface Stats {
  transport: string;
  hostId: string;
  version: number;
  subscribers: number;
  connections: number;
}

export function stateStats(page: TestPage, key: string, options: StateOptions): Promise<Stats> {
  return page.evaluate(({ key, options }) => window.tabwise.createGlobalState(key, 0, options).stats(), { key, options });
}

/** Polls `read` until `done` holds (the store learns of a closed tab asynchronously). */
export async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

// What the global-state test pages (and the tests, through page.evaluate) keep on window.
declare global {
  interface Window {
    /* eslint-disable @typescript-eslint/no-explicit-any */
    stateSeen: any[];
    stateCounter: any;
    stateWorker: { call(op: string, ...args: unknown[]): Promise<any>; terminate(): void };
    startStateWorker(transport?: string): Window['stateWorker'];
    submitScore(score: number): Promise<number[]>;
    unusedStorePort: MessagePort;
    /* eslint-enable @typescript-eslint/no-explicit-any */
  }
}
