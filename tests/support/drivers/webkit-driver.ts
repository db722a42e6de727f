// WebKit: Debian's WebKitGTK MiniBrowser under Xvfb, driven by WebKitWebDriver over classic W3C
// WebDriver. One session (a fresh, ephemeral profile) per context, one session at a time; pages are
// windows of that session. Classic WebDriver runs one command at a time, so evaluate() starts the
// call in the page and polls for its result: calls in several pages still run concurrently.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// @ts-expect-error plain JS module shared with the npm scripts
import { miniBrowserPath, webkitDriverPath, xvfbPath } from '../../../scripts/browsers.js';
import { BasePage, deepQuerySource, EngineHungError, type ContextOptions, type EngineBrowser, type EngineContext } from '../test-page.ts';
import { WebDriverSession, type ElementReference } from './webdriver-client.ts';

/** Page-side helpers installed after every load: WebDriver classic has no init scripts or events. */
const collectorSource = `if (!window.__tabwiseErrors) {
  window.__tabwiseErrors = [];
  window.__tabwiseWarnings = [];
  window.__tabwiseConsoleErrors = [];
  window.__tabwiseDialogs = [];
  addEventListener('error', (e) => window.__tabwiseErrors.push(String(e.error ?? e.message)));
  addEventListener('unhandledrejection', (e) => window.__tabwiseErrors.push(String(e.reason)));
  const warn = console.warn.bind(console);
  console.warn = (...args) => { window.__tabwiseWarnings.push(args.map(String).join(' ')); warn(...args); };
  const error = console.error.bind(console);
  console.error = (...args) => { window.__tabwiseConsoleErrors.push(args.map(String).join(' ')); error(...args); };
  // A real dialog would block every WebDriver command: record it and answer as a dismissal would.
  for (const [name, dismissed] of [['alert', undefined], ['confirm', false], ['prompt', null]]) {
    window[name] = (message) => { window.__tabwiseDialogs.push(String(message ?? '')); return dismissed; };
  }
}`;

const keys: Record<string, string> = { Enter: '\uE007', Tab: '\uE004', Escape: '\uE00C', Shift: '\uE008', Control: '\uE009', Backspace: '\uE003', A: 'a' };

let evaluations = 0;
let navigationMarks = 0;
/** How long one readiness poll of a loading page may go unanswered before the next is sent (see #goto). */
const pollDeadlineMs = 10_000;

class WebKitPage extends BasePage {
  readonly engine = 'webkit' as const;

  constructor(
    readonly context: WebKitContext,
    readonly handle: string,
  ) {
    super();
  }

  /** Runs `steps` with this page's window selected. */
  #inWindow<T>(steps: () => Promise<T>): Promise<T> {
    return this.context.session.exclusive(async () => {
      await this.context.select(this.handle);
      return steps();
    });
  }
  #command(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown) {
    return this.#inWindow(() => this.context.session.command(method, path, body));
  }
  /** Runs `steps`; a command that hangs inside says what the page was doing, for the hang's report
   * (the hung command is nearly always one of ours, an `execute/sync` poll, which says nothing alone). */
  async #doing<T>(what: string, steps: () => Promise<T>): Promise<T> {
    try {
      return await steps();
    } catch (error) {
      if (error instanceof EngineHungError && !error.message.includes(' while ')) error.message += ` while ${what}`;
      throw error;
    }
  }

  goto(url: string): Promise<void> {
    return this.#doing(`loading ${url}`, () => this.#goto(url));
  }
  async #goto(url: string): Promise<void> {
    const target = new URL(url).href;
    // Going to the URL a page is already at (a reload): the old document, still 'complete' at that
    // URL until the new one commits, is marked so that it is not taken for the new one.
    const leaving = `n${++navigationMarks}`;
    const from = await this.#doing(`marking the old document before loading ${url}`, () =>
      this.#command('POST', '/execute/sync', { script: 'window.__tabwiseLeaving = arguments[0]; return location.href', args: [leaving] }).catch((error) => {
        if (error instanceof EngineHungError) throw error;
        return '';
      }),
    );
    const reload = from === target;
    // The session's page load strategy is 'none', so several pages load at once: wait here instead.
    await this.#doing(`navigating to ${url}`, () => this.#command('POST', '/url', { url }));
    // A hang guard: under a load of 19 on two cores, a page among a round of several took over 60 s.
    const deadline = Date.now() + 180_000;
    const state = `return { href: location.href, readyState: document.readyState, left: window.__tabwiseLeaving === ${JSON.stringify(leaving)} }`;
    // What the last poll saw, for the timeout's message: the page's state or the driver's error.
    let seen = 'no answer yet';
    // Under load WebKitGTK sometimes leaves a window that no script can answer in ("Could not parse
    // script result") for minutes after POST /url, as if the navigation never committed. After 30 s of
    // that it is sent again (twice at most); whether that helps is not yet seen: the message says.
    let unanswered = 0;
    // Under load WebKitGTK also dropped a navigation outright: the window answered every poll from the
    // document it was on ("about:blank is complete") for 180 s (the 50-tab test, beside two full runs).
    // After 30 s of that it is sent again too.
    let notLeft = 0;
    let navigations = 1;
    // Every full run had WebKitWebDriver leave one or two of these polls unanswered for good (the
    // session then had to be relaunched). A poll is given 10 s and the next one is sent: whether that
    // one is answered says if only the evaluation in the changing document was lost, or the browser.
    const silentPolls: number[] = [];
    const startedAt = Date.now();
    for (;;) {
      const sentAfterS = Math.round((Date.now() - startedAt) / 1000);
      const now = await this.#inWindow(() => this.context.session.poll('POST', '/execute/sync', { script: state, args: [] }, pollDeadlineMs)).catch((error: Error) => error);
      if (now instanceof EngineHungError) silentPolls.push(sentAfterS);
      if (!(now instanceof Error) && now.href === target && now.readyState === 'complete' && !(reload && now.left)) {
        if (silentPolls.length) console.warn(`[webkit] ${silentPolls.length} readiness poll(s) of ${url} went unanswered for ${pollDeadlineMs / 1000} s (sent ${silentPolls.map((s) => `${s} s`).join(', ')} after navigating); a later poll was answered`);
        break;
      }
      seen = now instanceof Error ? now.message : `${now.href} is ${now.readyState}${reload && now.left ? ' (still the old document)' : ''}`;
      unanswered = now instanceof Error ? unanswered || Date.now() : 0;
      const stillThere = !(now instanceof Error) && now.href === from && now.readyState === 'complete' && (!reload || now.left);
      notLeft = stillThere ? notLeft || Date.now() : 0;
      if (Date.now() > deadline) {
        const message = `[webkit] timed out after 180 s waiting for ${url} to load (navigated ${navigations}×; ${silentPolls.length} poll(s) unanswered for ${pollDeadlineMs / 1000} s; last seen: ${seen})`;
        // A window no script could answer in for that long is the browser's fault, not the page's.
        throw now instanceof Error ? this.context.session.markHung(new EngineHungError(message)) : new Error(message);
      }
      const stuckSince = unanswered || notLeft;
      if (stuckSince && Date.now() - stuckSince > 30_000 && navigations < 3) {
        console.warn(`[webkit] ${url}: ${unanswered ? 'no poll answered' : `the window stayed on ${from}`} for 30 s after navigating; navigating again`);
        await this.#command('POST', '/url', { url });
        navigations++;
        unanswered = notLeft = 0;
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await this.#doing(`installing the page's collectors after loading ${url}`, () =>
      this.#command('POST', '/execute/sync', { script: `${collectorSource};${this.context.options.initScript ?? ''}`, args: [] }),
    );
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  async evaluateExpression(expression: string): Promise<any> {
    const id = `e${++evaluations}`;
    // Starts the call and waits up to 100 ms for it, so short calls take one round trip.
    const start = `const [id, report] = [arguments[0], arguments[arguments.length - 1]];
      const slots = (window.__tabwiseEvaluations ??= {});
      slots[id] = { done: false };
      let reported = false;
      const finish = () => { if (!reported) { reported = true; const slot = slots[id]; if (slot.done) delete slots[id]; report(slot); } };
      setTimeout(finish, 100);
      Promise.resolve().then(() => (${expression})).then(
        (value) => { slots[id] = { done: true, json: value === undefined ? undefined : JSON.stringify(value) }; finish(); },
        (error) => { slots[id] = { done: true, error: { name: error?.name, message: String(error?.message ?? error), stack: String(error?.stack ?? '') } }; finish(); });`;
    const poll = `const slots = window.__tabwiseEvaluations; const slot = slots?.[arguments[0]];
      if (slot?.done) delete slots[arguments[0]];
      return slot ?? { lost: true };`;
    const slot = await this.#doing(`evaluating ${JSON.stringify(expression.replace(/\s+/g, ' ').trim().slice(0, 200))}`, async () => {
      let slot = await this.#command('POST', '/execute/async', { script: start, args: [id] });
      while (!slot.done) {
        if (slot.lost) throw new Error('[webkit] the page navigated or closed while evaluate() was running');
        await new Promise((resolve) => setTimeout(resolve, 25));
        slot = await this.#command('POST', '/execute/sync', { script: poll, args: [id] });
      }
      return slot;
    });
    if (slot.error) throw Object.assign(new Error(`[webkit] ${slot.error.name}: ${slot.error.message}`), { name: slot.error.name, pageStack: slot.error.stack });
    // An undefined result has no json; WebKitWebDriver sends that missing property back as null.
    return slot.json === undefined || slot.json === null ? undefined : JSON.parse(slot.json);
  }

  async #element(selector: string): Promise<string> {
    const reference: ElementReference | null = await this.#command('POST', '/execute/sync', {
      script: `return (${deepQuerySource})(arguments[0], false) ?? null`,
      args: [selector],
    });
    if (!reference) throw new Error(`[webkit] no element matches ${selector}`);
    return Object.values(reference)[0];
  }
  click(selector: string): Promise<void> {
    return this.#doing(`clicking ${selector}`, async () => {
      const element = await this.#element(selector);
      await this.#command('POST', `/element/${element}/click`);
    });
  }
  async wheel(selector: string, deltaY: number): Promise<void> {
    // WebKitWebDriver refuses an element in a shadow root as the origin ("not a valid web element
    // object"), so the scroll starts at the element's centre in viewport coordinates.
    const { x, y } = await this.evaluateExpression(
      `(() => { const r = (${deepQuerySource})(${JSON.stringify(selector)}, false).getBoundingClientRect(); return { x: Math.round(r.x + r.width / 2), y: Math.round(r.y + r.height / 2) }; })()`,
    );
    const scroll = { type: 'scroll', x, y, deltaX: 0, deltaY, origin: 'viewport' };
    await this.#doing(`scrolling ${selector}`, () => this.#command('POST', '/actions', { actions: [{ type: 'wheel', id: 'wheel', actions: [scroll] }] }));
  }
  fill(selector: string, text: string): Promise<void> {
    return this.#doing(`filling ${selector}`, () => this.#fill(selector, text));
  }
  async #fill(selector: string, text: string): Promise<void> {
    const element = await this.#element(selector);
    await this.#command('POST', `/element/${element}/clear`);
    // As in Firefox's driver: a new line is typed as Shift+Enter, never as an Enter that sends.
    // WebKitWebDriver refuses an empty text ("Missing text parameter"): an empty piece is not typed.
    const type = (piece: string) => (piece ? this.#command('POST', `/element/${element}/value`, { text: piece }) : undefined);
    const [first, ...lines] = text.split('\n');
    await type(first);
    for (const line of lines) {
      await this.press('Shift+Enter');
      await type(line);
    }
  }
  async press(key: string): Promise<void> {
    const codes = key.split('+').map((name) => keys[name] ?? name);
    const actions = [...codes.map((value) => ({ type: 'keyDown', value })), ...codes.reverse().map((value) => ({ type: 'keyUp', value }))];
    await this.#doing(`pressing ${key}`, () => this.#command('POST', '/actions', { actions: [{ type: 'key', id: 'keyboard', actions }] }));
  }
  async typeText(text: string): Promise<void> {
    const actions = [...text].flatMap((value) => [{ type: 'keyDown', value }, { type: 'keyUp', value }]);
    await this.#doing(`typing ${JSON.stringify(text.slice(0, 40))}`, () => this.#command('POST', '/actions', { actions: [{ type: 'key', id: 'keyboard', actions }] }));
  }
  screenshot(): Promise<Buffer> {
    return this.#doing('taking a screenshot', () => this.#screenshot());
  }
  #screenshot(): Promise<Buffer> {
    return this.#inWindow(async () => {
      // A window that a newer one covered may not have painted since it was selected: CI got a blank
      // 2 KB image of a page with content. Wait for two frames before the capture. A loaded box took
      // more than 2 s for them (a full run got the blank image after a 2 s cap), so the cap is a hang
      // guard that fails by name instead of capturing what is not painted.
      const paintedWithinMs = 20_000;
      const twoFrames = `const done = arguments[arguments.length - 1];
        setTimeout(() => done('no frame'), ${paintedWithinMs}); requestAnimationFrame(() => requestAnimationFrame(() => done('painted')));`;
      const painted = await this.context.session.command('POST', '/execute/async', { script: twoFrames, args: [] });
      if (painted !== 'painted') throw new Error(`[webkit] screenshot: the window drew no frame within ${paintedWithinMs / 1000} s of being selected`);
      return Buffer.from(await this.context.session.command('GET', '/screenshot'), 'base64');
    });
  }
  override errors(): Promise<string[]> {
    return this.evaluateExpression('[...(window.__tabwiseErrors ?? [])]');
  }
  override warnings(): Promise<string[]> {
    return this.evaluateExpression('[...(window.__tabwiseWarnings ?? [])]');
  }
  override consoleErrors(): Promise<string[]> {
    return this.evaluateExpression('[...(window.__tabwiseConsoleErrors ?? [])]');
  }
  override dialogs(): Promise<string[]> {
    return this.evaluateExpression('[...(window.__tabwiseDialogs ?? [])]');
  }
  async close(): Promise<void> {
    await this.#doing('closing the page', () => this.#inWindow(async () => {
      await this.context.session.command('DELETE', '/window');
      // New windows are opened from the current one: go back to the session's first window.
      this.context.forget(this.handle);
      await this.context.select(this.context.keeper);
    }));
  }
}

class WebKitContext implements EngineContext {
  readonly pages: WebKitPage[] = [];
  #selected: string;

  constructor(
    readonly session: WebDriverSession,
    readonly options: ContextOptions,
    readonly keeper: string,
    readonly onClose: () => void,
  ) {
    this.#selected = keeper;
  }

  /** Switches the session to `handle` (called inside session.exclusive). */
  async select(handle: string): Promise<void> {
    if (this.#selected === handle) return;
    await this.session.command('POST', '/window', { handle });
    this.#selected = handle;
  }
  forget(handle: string): void {
    if (this.#selected === handle) this.#selected = '';
  }

  async newPage(url?: string): Promise<WebKitPage> {
    const handle = await this.session.exclusive(async () => {
      const { handle } = await this.session.command('POST', '/window/new', { type: 'window' });
      if (this.options.viewport) {
        await this.select(handle);
        await this.session.command('POST', '/window/rect', this.options.viewport);
      }
      return handle as string;
    });
    const page = new WebKitPage(this, handle);
    this.pages.push(page);
    if (url) await page.goto(url);
    return page;
  }
  async close(): Promise<void> {
    try {
      await this.session.exclusive(() => this.session.command('DELETE', ''));
    } finally {
      this.onClose();
    }
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Starts Xvfb on a display it picks itself (-displayfd) and resolves to that display. */
function startXvfb(): Promise<{ process: ChildProcess; display: string }> {
  return new Promise((resolve, reject) => {
    const xvfb = spawn(xvfbPath, ['-displayfd', '3', '-screen', '0', '1280x1024x24', '-nolisten', 'tcp'], { stdio: ['ignore', 'ignore', 'ignore', 'pipe'] });
    xvfb.once('error', reject);
    xvfb.once('exit', (code) => reject(new Error(`Xvfb exited (${code}) before reporting its display`)));
    let out = '';
    xvfb.stdio[3]!.on('data', (chunk) => {
      out += chunk;
      if (out.includes('\n')) resolve({ process: xvfb, display: `:${out.trim()}` });
    });
  });
}

async function waitForDriver(baseUrl: string, driver: ChildProcess): Promise<void> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (driver.exitCode !== null) throw new Error(`WebKitWebDriver exited (${driver.exitCode})`);
    const ready = await fetch(`${baseUrl}/status`).then((r) => r.ok, () => false);
    if (ready) return;
    if (Date.now() > deadline) throw new Error('timed out after 20 s waiting for WebKitWebDriver to listen');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The last `lines` lines of a log file, for a report. */
function logTail(path: string, lines = 30): string {
  try {
    return readFileSync(path, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/** A WebKitWebDriver on a free port of `display`, in a process group of its own with MiniBrowser and
 * its web processes, so that a stuck browser can be killed whole; their output goes to a log that a
 * hang report quotes. */
async function startDriver(display: string) {
  const port = await freePort();
  const logDirectory = mkdtempSync(join(tmpdir(), 'tabwise-webkit-'));
  const logPath = join(logDirectory, 'minibrowser.log');
  const log = openSync(logPath, 'a');
  const process_ = spawn(webkitDriverPath, [`--port=${port}`], {
    env: { ...process.env, DISPLAY: display },
    stdio: process.env.TABWISE_DEBUG ? 'inherit' : ['ignore', log, log],
    detached: true,
  });
  closeSync(log);
  const driver = {
    baseUrl: `http://127.0.0.1:${port}`,
    processGroup: process_.pid!,
    /** Kills it; keeps its log (and says where) when it hung, for the report. */
    stop(hung?: EngineHungError) {
      try {
        process.kill(-process_.pid!, 'SIGKILL');
      } catch {
        // already gone
      }
      if (hung) console.error(`${hung.message}; MiniBrowser's last output (${logPath}):\n${logTail(logPath)}`);
      else rmSync(logDirectory, { recursive: true, force: true });
    },
  };
  try {
    await waitForDriver(driver.baseUrl, process_);
  } catch (error) {
    driver.stop();
    throw error;
  }
  return driver;
}

export async function launchWebKitEngine(): Promise<EngineBrowser & { processGroup: number }> {
  const xvfb = await startXvfb();
  // WebKitWebDriver runs one session at a time: the first context uses this driver, and each context
  // opened while others are (a second user, in a test of two) gets a driver of its own on the display.
  const main = await startDriver(xvfb.display).catch((error: unknown) => {
    xvfb.process.kill();
    throw error;
  });
  const capabilities = {
    browserName: 'MiniBrowser',
    pageLoadStrategy: 'none',
    'webkitgtk:browserOptions': { binary: miniBrowserPath, args: ['--automation', ...(process.env.TABWISE_DEBUG ? ['--enable-write-console-messages-to-stdout=true'] : [])] },
  };
  const open = new Set<WebKitContext>();
  let mainBusy = false;
  let hung: EngineHungError | undefined;
  let version = '';
  return {
    engine: 'webkit',
    get version() {
      return version;
    },
    get hung() {
      return hung ?? [...open].find((context) => context.session.hung)?.session.hung;
    },
    /** The process group of the first WebKitWebDriver, MiniBrowser and its web processes (for the harness's own test). */
    processGroup: main.processGroup,
    async newContext(options: ContextOptions = {}) {
      if (hung) throw hung;
      const onMain = !mainBusy;
      mainBusy ||= onMain;
      const driver = onMain ? main : await startDriver(xvfb.display);
      // Each session launches its own MiniBrowser, so a dark one is a command-line option of that launch.
      const browserOptions = { ...capabilities['webkitgtk:browserOptions'] };
      if (options.colorScheme === 'dark') browserOptions.args = [...browserOptions.args, '--dark-mode'];
      const release = (sessionHung?: EngineHungError) => {
        if (onMain) mainBusy = false;
        else driver.stop(sessionHung);
      };
      const session = await WebDriverSession.create(driver.baseUrl, { ...capabilities, 'webkitgtk:browserOptions': browserOptions }).catch((error: unknown) => {
        // A driver that cannot even start a session is stuck as a whole: the harness relaunches it.
        if (error instanceof EngineHungError && onMain) hung = error;
        release(error instanceof EngineHungError ? error : undefined);
        throw error;
      });
      version = String(session.capabilities.browserVersion ?? '');
      const keeper: string = await session.command('GET', '/window');
      // The first window stays on about:blank so that closing every test page keeps the session.
      const context: WebKitContext = new WebKitContext(session, options, keeper, () => {
        if (onMain) hung ??= session.hung;
        open.delete(context);
        release(session.hung);
      });
      open.add(context);
      return context;
    },
    async close() {
      await Promise.all([...open].map((context) => context.close().catch(() => {})));
      main.stop(hung);
      xvfb.process.kill();
    },
  };
}
