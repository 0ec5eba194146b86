import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { REPO_ROOT, WEB_DIST_DIR } from '../../src/paths.js';

/**
 * Browser tests drive Debian's Chromium through playwright-core (never a downloaded browser).
 * In CI a missing Chromium fails the run; locally the tests are skipped with a message.
 */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const IN_CI = process.env.CI === 'true';

export const chromiumAvailable = fs.existsSync(CHROMIUM_PATH);
if (!chromiumAvailable) {
  if (IN_CI)
    throw new Error(
      `CI=true but Chromium is missing at ${CHROMIUM_PATH} (install Debian's chromium or set CHROMIUM_PATH): the browser tests cannot be skipped in CI`,
    );
  console.warn(`[browser tests] skipped: no Chromium at ${CHROMIUM_PATH}; install Debian's chromium package or set CHROMIUM_PATH`);
}

/** The flags this machine needs: no sandbox as root, no background connections to a closed network. */
const FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface Chromium {
  context: BrowserContext;
  close(): Promise<void>;
}

export async function launchChromium(): Promise<Chromium> {
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'agi-tracker-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: FLAGS,
    viewport: { width: 1280, height: 900 },
  });
  // A missing element fails the test in 10 s with Playwright's message, before vitest's timeout.
  context.setDefaultTimeout(10_000);
  return {
    context,
    async close() {
      await context.close();
      fs.rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : fs.statSync(full).mtimeMs);
  }
  return newest;
}

/**
 * dist/web as the server serves it: built by `npm run build` (CI runs it through `npm ci`), and
 * rebuilt here when missing or older than src/web. A lock directory keeps two test files from
 * building at once.
 */
export async function ensureWebBuild(): Promise<void> {
  const index = path.join(WEB_DIST_DIR, 'index.html');
  const sources = Math.max(newestMtime(path.join(REPO_ROOT, 'src/web')), fs.statSync(path.join(REPO_ROOT, 'vite.config.ts')).mtimeMs);
  const fresh = () => fs.existsSync(index) && fs.statSync(index).mtimeMs >= sources;
  if (fresh()) return;
  fs.mkdirSync(path.join(REPO_ROOT, 'dist'), { recursive: true });
  const lock = path.join(REPO_ROOT, 'dist', '.web-build.lock');
  const deadline = Date.now() + 120_000;
  for (;;) {
    try {
      fs.mkdirSync(lock);
      break;
    } catch {
      if (fresh()) return;
      // A lock left by a killed run is taken over after two minutes.
      if (Date.now() - fs.statSync(lock, { throwIfNoEntry: false })!.mtimeMs > 120_000) fs.rmSync(lock, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error('timed out waiting for another web build');
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  try {
    if (fresh()) return;
    const { build } = await import('vite');
    // Vite builds development React when NODE_ENV is set to anything but production (vitest sets 'test').
    const nodeEnv = process.env.NODE_ENV;
    process.env.NODE_ENV = 'production';
    try {
      await build({ configFile: path.join(REPO_ROOT, 'vite.config.ts'), mode: 'production', logLevel: 'warn' });
    } finally {
      process.env.NODE_ENV = nodeEnv;
    }
  } finally {
    fs.rmSync(lock, { recursive: true, force: true });
  }
}

/** What a page did that it must not: CSP violations, uncaught errors, dialogs (alert/confirm). */
export interface PageWatch {
  cspViolations: string[];
  pageErrors: string[];
  dialogs: string[];
  consoleErrors: string[];
}

export async function watchPage(page: Page): Promise<PageWatch> {
  const watch: PageWatch = { cspViolations: [], pageErrors: [], dialogs: [], consoleErrors: [] };
  await page.exposeFunction('__reportCsp', (v: string) => watch.cspViolations.push(v));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      (window as unknown as { __reportCsp(v: string): void }).__reportCsp(
        `${e.violatedDirective} blocked ${e.blockedURI} at ${e.sourceFile}:${e.lineNumber}`,
      );
    });
  });
  page.on('pageerror', (err) => watch.pageErrors.push(err.message));
  page.on('dialog', (d) => {
    watch.dialogs.push(`${d.type()}: ${d.message()}`);
    void d.dismiss();
  });
  page.on('console', (msg) => {
    if (msg.type() !== 'error') return;
    const text = msg.text();
    if (/Content Security Policy/i.test(text)) watch.cspViolations.push(text);
    else watch.consoleErrors.push(text);
  });
  return watch;
}

const AXE_SOURCE = fs.readFileSync(path.join(REPO_ROOT, 'node_modules/axe-core/axe.min.js'), 'utf8');

/** A new page in the browser's context, watched for errors, dialogs and CSP violations, opened at baseUrl + path. */
export async function openWatchedPage(browser: Chromium, baseUrl: string, path: string): Promise<{ page: Page; watch: PageWatch }> {
  const page = await browser.context.newPage();
  const watch = await watchPage(page);
  await page.goto(baseUrl + path);
  return { page, watch };
}

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: string[];
}

/**
 * Runs axe-core (WCAG 2.0/2.1 A and AA rules) in the page. It is evaluated through the DevTools
 * protocol, not a <script> tag, so the page's strict CSP stays on while it runs.
 */
export async function runAxe(page: Page): Promise<AxeViolation[]> {
  await page.evaluate(AXE_SOURCE);
  return page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: {
          run(
            ctx: Document,
            opts: unknown,
          ): Promise<{ violations: Array<{ id: string; impact: string | null; help: string; nodes: Array<{ target: unknown[] }> }> }>;
        };
      }
    ).axe;
    const result = await axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
      resultTypes: ['violations'],
    });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.slice(0, 5).map((n) => JSON.stringify(n.target)),
    }));
  });
}
