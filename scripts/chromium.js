// Finds Debian's Chromium for the browser tests and benchmark; installs it with apt when we are root.
import { existsSync } from 'node:fs';
import { execSync } from 'node:child_process';

const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter(Boolean);
const howTo = 'Chromium is missing. Install it with:  sudo apt-get update && sudo apt-get install -y chromium   (or set CHROMIUM_PATH)';

export function findChromium({ install = false, quiet = false } = {}) {
  let found = candidates.find((path) => existsSync(path));
  if (found) return found;
  const canApt = process.getuid?.() === 0 && existsSync('/usr/bin/apt-get');
  if (install && canApt) {
    console.log('Chromium not found; installing it with apt-get (running as root) …');
    execSync('apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium', { stdio: 'inherit' });
    found = candidates.find((path) => existsSync(path));
    if (found) return found;
  }
  if (!quiet) console.error(howTo);
  return undefined;
}

/** Flags from shared/DESIGN.md: quiet on a closed network, WebGPU through SwiftShader. */
export const chromiumArgs = [
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  '--enable-unsafe-webgpu',
  '--enable-unsafe-swiftshader',
  '--use-webgpu-adapter=swiftshader',
  // Lets memory tests collect garbage in pages and workers before measuring.
  '--js-flags=--expose-gc',
];
