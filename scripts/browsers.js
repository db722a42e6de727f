// Which browser engines the tests can drive here, from Debian's packages only (never a download).
// `TABWISE_BROWSERS=chromium,firefox,webkit` picks engines; the default is every installed one.
import { existsSync } from 'node:fs';
import { findChromium } from './chromium.js';

export const engineNames = ['chromium', 'firefox', 'webkit'];

export const firefoxPath = process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr';
export const webkitDriverPath = process.env.WEBKIT_DRIVER_PATH ?? '/usr/bin/WebKitWebDriver';
export const miniBrowserPath = process.env.MINIBROWSER_PATH ?? '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser';
export const xvfbPath = process.env.XVFB_PATH ?? '/usr/bin/Xvfb';

/** Why `engine` cannot run here, or undefined when it can. */
export function missingReason(engine) {
  if (engine === 'chromium') {
    return findChromium({ quiet: true }) ? undefined : 'chromium not installed (apt-get install -y chromium, or set CHROMIUM_PATH)';
  }
  if (engine === 'firefox') {
    return existsSync(firefoxPath) ? undefined : `${firefoxPath} not found (apt-get install -y firefox-esr, or set FIREFOX_PATH)`;
  }
  if (engine === 'webkit') {
    const missing = [webkitDriverPath, miniBrowserPath, xvfbPath].filter((path) => !existsSync(path));
    return missing.length === 0 ? undefined : `${missing.join(', ')} not found (apt-get install -y webkit2gtk-driver xvfb)`;
  }
  return `unknown engine (known: ${engineNames.join(', ')})`;
}

/** The engines asked for (TABWISE_BROWSERS, default all), split into those that run and those skipped. */
export function selectEngines(value = process.env.TABWISE_BROWSERS) {
  const asked = value ? value.split(',').map((name) => name.trim().toLowerCase()).filter(Boolean) : engineNames;
  const run = [];
  const skipped = [];
  for (const engine of asked) {
    const reason = missingReason(engine);
    if (reason) skipped.push({ engine, reason });
    else run.push(engine);
  }
  return { asked, run, skipped };
}
