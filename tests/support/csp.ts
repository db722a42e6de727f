// A Content-Security-Policy for a test server, with its violation reports (report-uri) collected,
// and one way to read every violation a page caused: its securitypolicyviolation events, its
// console, and the server's reports (which also come from workers and from before load).
import type { ServerOptions, TestPage } from './browser.ts';

export interface CspReports {
  /** The reports the server received, oldest first (the `csp-report` object of each). */
  readonly received: unknown[];
}

/** Server options that send `policy` with every response and collect its reports into `reports`. */
export function cspServerOptions(policy: string, reports: CspReports): ServerOptions {
  return {
    headers: { 'Content-Security-Policy': `${policy}; report-uri /__csp-report` },
    intercept: (req, res) => {
      if (req.url !== '/__csp-report') return false;
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        reports.received.push(JSON.parse(body)['csp-report'] ?? body);
        res.writeHead(204).end();
      });
      return true;
    },
  };
}

/** An init script recording the page's securitypolicyviolation events on window.cspViolations. */
export const violationWatchScript = `
  window.cspViolations = window.cspViolations ?? [];
  document.addEventListener('securitypolicyviolation', (e) =>
    window.cspViolations.push(e.effectiveDirective + ' blocked ' + e.blockedURI + ' at ' + e.sourceFile + ':' + e.lineNumber));
`;

const isSentinel = (line: string) => line.includes('.csp-sentinel.invalid');

/**
 * Everything that says a policy was violated in `page`, as `event: …`, `console: …` and `report: …`
 * lines. Reports are sent asynchronously: rather than guess how long they take, the page makes one
 * known violation last and this waits until its event and report are in (the page's earlier ones
 * were sent before it). Sentinels, this page's and earlier pages', are left out.
 */
export async function violations(page: TestPage, reports: CspReports): Promise<string[]> {
  const sentinel = `s${Math.random().toString(36).slice(2)}.csp-sentinel.invalid`;
  await page.evaluate((host) => fetch(`https://${host}/`).catch(() => undefined), sentinel);
  const deadline = Date.now() + 30_000;
  while (!reports.received.some((report) => JSON.stringify(report).includes(sentinel))) {
    if (Date.now() > deadline) throw new Error(`the sentinel violation's report (${sentinel}) did not arrive within 30 s`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  await page.waitForFunction((host) => window.cspViolations.some((line) => line.includes(host)), sentinel, {
    what: `the sentinel violation's securitypolicyviolation event (${sentinel})`,
    timeoutMs: 120_000,
  });
  const events = (await page.evaluate(() => window.cspViolations)).filter((line) => !isSentinel(line));
  const consoleLines = [...(await page.consoleErrors()), ...(await page.warnings())].filter(
    (line) => /Content[ -]Security[ -]Policy|Refused to/i.test(line) && !isSentinel(line),
  );
  const reported = reports.received.map((report) => `report: ${JSON.stringify(report)}`).filter((line) => !isSentinel(line));
  return [...events.map((e) => `event: ${e}`), ...consoleLines.map((line) => `console: ${line}`), ...reported];
}

declare global {
  interface Window {
    cspViolations: string[];
  }
}
