import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, TEST_ADMIN_KEY, type TestContext } from '../helpers/databases.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import path from 'node:path';
import { measureWebSize, WEB_BUDGET_GZIP_BYTES } from '../../bench/web-size.js';
import { WEB_DIST_DIR } from '../../src/paths.js';
import {
  chromiumAvailable,
  ensureWebBuild,
  launchChromium,
  runAxe,
  watchPage,
  type Chromium,
  type PageWatch,
  openWatchedPage,
} from './chromium.js';

/**
 * The web app in Debian's Chromium against the real server (PGlite, bundled evidence), under the
 * server's strict CSP: pages render, work by keyboard, pass axe, and never trip the CSP.
 */
describe.skipIf(!chromiumAvailable)('web app in Chromium', () => {
  let t: TestContext;
  let server: TestServer;
  let browser: Chromium;

  beforeAll(async () => {
    await ensureWebBuild();
    // Page loads fetch the app's files and several API resources: the per-IP limit is not under test here.
    t = await createTestContext('pglite', { RATE_LIMIT_PER_MINUTE: '100000' });
    server = await startTestServer(t.ctx);
    browser = await launchChromium();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await t?.cleanup();
  });

  const open = (path: string) => openWatchedPage(browser, server.url, path);

  function expectClean(watch: PageWatch): void {
    expect(watch.cspViolations).toEqual([]);
    expect(watch.pageErrors).toEqual([]);
    expect(watch.dialogs).toEqual([]);
  }

  it('the dashboard shows the composite gauge and every core category lane', async () => {
    const { page, watch } = await open('/');
    await page.getByRole('heading', { name: 'AGI proximity' }).waitFor();
    const gauge = page.getByRole('img', { name: /AGI proximity composite/ });
    await gauge.waitFor();
    const label = await gauge.getAttribute('aria-label');
    // Either a value with its interval or the N/A state with its reason.
    if (/not available/.test(label!)) await expect(page.getByText('Insufficient evidence.').count()).resolves.toBe(1);
    else expect(label).toMatch(/\d+\.\d out of 100, 90% interval \d+\.\d to \d+\.\d/);
    const lanes = page.locator('.lane-name');
    await lanes.first().waitFor();
    const names = await lanes.allTextContents();
    for (const c of ['Capabilities', 'Agents', 'Inputs (compute, power)', 'Security']) expect(names).toContain(c);
    await page.getByRole('heading', { name: 'Safety margin' }).waitFor();
    await page.getByRole('heading', { name: /History/ }).waitFor();
    await page.locator('.event-list li').first().waitFor();
    expectClean(watch);
    await page.close();
  });

  it('without A/B evidence the dashboard shows the composite as N/A with the reason, not a 0', async () => {
    const empty = await createTestContext('pglite', { RATE_LIMIT_PER_MINUTE: '100000' }, { loadData: false });
    const emptyServer = await startTestServer(empty.ctx);
    try {
      const page = await browser.context.newPage();
      const watch = await watchPage(page);
      await page.goto(emptyServer.url + '/');
      await expect(page.getByRole('img', { name: /AGI proximity composite/ }).getAttribute('aria-label')).resolves.toBe(
        'AGI proximity composite: not available',
      );
      await page.getByText('Insufficient evidence.').waitFor();
      await page.getByText(/no A\/B evidence yet for: capabilities, agents, inputs/).waitFor();
      await expect(page.locator('.gauge-value').textContent()).resolves.toBe('N/A');
      await page.getByRole('heading', { name: 'Safety margin' }).waitFor();
      await expect(page.locator('.safety').textContent()).resolves.toMatch(/N\/A/);
      expectClean(watch);
      await page.close();
    } finally {
      await emptyServer.close();
      await empty.cleanup();
    }
  });

  it('the dashboard loads only its first-load chunks, within 300 KB of gzipped JavaScript', async () => {
    const size = measureWebSize(WEB_DIST_DIR);
    expect(size.initial_js_gzip).toBeLessThanOrEqual(WEB_BUDGET_GZIP_BYTES);
    const page = await browser.context.newPage();
    const scripts: string[] = [];
    page.on('response', (r) => {
      if (r.url().endsWith('.js')) scripts.push(new URL(r.url()).pathname.slice(1));
    });
    await page.goto(server.url + '/');
    await page.getByRole('img', { name: /AGI proximity composite/ }).waitFor();
    await page.waitForLoadState('networkidle');
    expect(scripts.sort()).toEqual(size.initial_js.map((c) => c.file).sort());
    for (const lazy of size.lazy_js) expect(scripts).not.toContain(lazy.file);
    expect(path.basename(size.entry)).toMatch(/^index-.*\.js$/);
    await page.close();
  });

  it('the preset switcher reloads the index for the chosen preset', async () => {
    const { page, watch } = await open('/');
    await page.getByRole('img', { name: /AGI proximity composite/ }).waitFor();
    const request = page.waitForRequest((r) => r.url().includes('/v1/index?') && r.url().includes('preset=cotra'));
    await page.getByRole('radio', { name: 'Cotra' }).check();
    await request;
    expect(new URL(page.url()).searchParams.get('preset')).toBe('cotra');
    await expect(page.getByRole('radio', { name: 'Cotra' }).isChecked()).resolves.toBe(true);
    expectClean(watch);
    await page.close();
  });

  it('is usable by keyboard: skip link, then the main navigation moves focus to the new page', async () => {
    const { page, watch } = await open('/');
    await page.getByRole('img', { name: /AGI proximity composite/ }).waitFor();
    await page.keyboard.press('Tab');
    await expect(page.evaluate(() => document.activeElement?.textContent)).resolves.toBe('Skip to content');
    await page.keyboard.press('Tab'); // brand link
    await page.keyboard.press('Tab'); // Dashboard
    await page.keyboard.press('Tab'); // Evidence
    await expect(page.evaluate(() => document.activeElement?.textContent)).resolves.toBe('Evidence');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Evidence' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/events');
    await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe('main');
    await expect(page.title()).resolves.toMatch(/^Evidence/);
    // Back returns to the dashboard without a reload.
    await page.goBack();
    await page.getByRole('heading', { name: 'AGI proximity' }).waitFor();
    expectClean(watch);
    await page.close();
  });

  it('filters evidence by tier and loads the next page with the cursor', async () => {
    const { page, watch } = await open('/events');
    await page.locator('.event-list li').first().waitFor();
    await page.getByLabel('Tier').selectOption('A');
    const filtered = page.waitForResponse((r) => r.url().includes('/v1/events?') && r.url().includes('tier=A'));
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.waitForURL(/tier=A/);
    await filtered;
    await page.locator('[aria-busy="false"] .event-list li').first().waitFor();
    const tiers = await page.locator('.event-list .tier').allTextContents();
    expect(tiers.length).toBeGreaterThan(0);
    for (const tier of tiers) expect(tier).toBe('Evidence tier A');
    // Export links carry the same filter.
    await expect(page.getByRole('link', { name: 'CSV' }).getAttribute('href')).resolves.toBe('/v1/export/events.csv?tier=A');

    const unfiltered = page.waitForResponse((r) => r.url().includes('/v1/events?') && !r.url().includes('tier='));
    await page.getByRole('button', { name: 'Clear' }).click();
    await page.waitForURL((u) => u.search === '');
    await unfiltered;
    await page.locator('[aria-busy="false"] .event-list li').nth(24).waitFor();
    const before = await page.locator('.event-list li').count();
    expect(before).toBe(25);
    await page.getByRole('button', { name: 'Load more' }).click();
    await page.locator('.event-list li').nth(25).waitFor();
    const ids = await page.locator('.event-list a.event-title').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    expect(new Set(ids).size).toBe(ids.length);
    expectClean(watch);
    await page.close();
  });

  it('opens an evidence item and a signpost with its evidence and forecasts', async () => {
    const { page, watch } = await open('/events');
    const first = page.locator('.event-list a.event-title').first();
    const title = (await first.textContent())!;
    await first.click();
    await page.getByRole('heading', { level: 1, name: title }).waitFor();
    await page.getByRole('heading', { name: 'Signposts it informs' }).waitFor();

    await page.goto(`${server.url}/signposts/swe_bench_85`);
    await page.getByRole('heading', { name: 'Progress' }).waitFor();
    await page.getByRole('heading', { name: 'Evidence', exact: true }).waitFor();
    await page.getByRole('heading', { name: 'Forecasts' }).waitFor();
    await page.locator('table .tier').first().waitFor();
    expectClean(watch);
    await page.close();
  });

  it('the signpost directory groups signposts by category', async () => {
    const { page, watch } = await open('/signposts');
    for (const c of ['Capabilities', 'Agents', 'Security']) await page.getByRole('heading', { level: 2, name: c }).waitFor();
    await page.getByRole('link', { name: 'Agents' }).first().click();
    await page.waitForURL(/category=agents/);
    await expect(page.getByRole('heading', { level: 2, name: 'Capabilities' }).count()).resolves.toBe(0);
    expectClean(watch);
    await page.close();
  });

  it('the what-if sliders recompute the composite through /v1/index/custom', async () => {
    const { page, watch } = await open('/what-if');
    await page.getByRole('img', { name: /Custom composite/ }).waitFor();
    const request = page.waitForRequest((r) => r.url().includes('/v1/index/custom?') && r.url().includes('inputs=0.9'));
    await page.getByLabel(/Inputs/).focus();
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowLeft');
    await request;
    await page.getByRole('img', { name: /Custom composite/ }).waitFor();
    expectClean(watch);
    await page.close();
  });

  it('admin: a wrong key is refused; the admin key shows the budget and creates a key whose secret is shown once', async () => {
    const { page, watch } = await open('/admin/budget');
    await page.getByLabel('Admin API key').fill('not-a-key');
    await page.getByRole('button', { name: 'Use this key' }).click();
    await page.getByText('This key is not a valid admin key.').waitFor();
    await page.getByLabel('Admin API key').fill(TEST_ADMIN_KEY);
    await page.getByRole('button', { name: 'Use this key' }).click();
    await page.getByRole('heading', { name: /LLM budget for/ }).waitFor();
    await expect(page.evaluate(() => sessionStorage.length)).resolves.toBe(1);
    await expect(page.evaluate(() => localStorage.length)).resolves.toBe(0);

    await page.getByRole('link', { name: 'API keys' }).click();
    await page.getByLabel('Name').fill('browser-test reader');
    await page.getByRole('button', { name: 'Create' }).click();
    const secret = page.locator('.secret-value');
    await secret.waitFor();
    expect((await secret.textContent())!.length).toBeGreaterThan(20);
    await page.getByRole('cell', { name: 'browser-test reader', exact: true }).waitFor();
    await page.getByRole('button', { name: 'I have saved it' }).click();
    await expect(secret.count()).resolves.toBe(0);

    await page.getByRole('link', { name: 'Audit log' }).click();
    await page.getByRole('heading', { level: 2, name: 'Audit log' }).waitFor();
    await page.locator('table code', { hasText: 'create_api_key' }).first().waitFor();
    await page.getByRole('link', { name: 'Review queue' }).click();
    await page.getByRole('heading', { level: 2, name: 'Review queue' }).waitFor();
    await page.getByRole('link', { name: 'Ingestion' }).click();
    await page.getByRole('heading', { level: 2, name: 'Ingestion runs' }).waitFor();
    expectClean(watch);
    await page.close();
  });

  it('admin: approving from the review queue and retracting an event take effect and are audited', async () => {
    const report = await t.ctx.services.imports.importLines(
      [1, 2].map((n) => ({
        line: n,
        data: {
          title: `Review probe ${n}: agent scores 41% on OSWorld`,
          summary: 'A machine-mapped press item waiting for a curator.',
          url: `https://example.com/review-probe-${n}`,
          publisher: 'Example Press',
          tier: 'C',
          published_at: '2025-10-01',
          observations: [{ signpost: 'osworld_65', value: 0.41 }],
        },
      })),
      { method: 'rule', confidence: 0.5 },
    );
    const [first, second] = report.event_ids;
    expect(second).toBeDefined();
    const { page, watch } = await open('/admin/review');
    // The key is per tab (sessionStorage): this page asks for it again.
    await page.getByLabel('Admin API key').fill(TEST_ADMIN_KEY);
    await page.getByRole('button', { name: 'Use this key' }).click();
    const item = page.locator('.review-list > li', { hasText: 'Review probe 1' });
    await item.waitFor();
    await item.getByRole('button', { name: 'Approve' }).click();
    await page.getByText(`Event ${first}: approved.`).waitFor();
    await expect(item.count()).resolves.toBe(0);

    await page.getByLabel('Event ID').fill(String(second));
    await page.getByLabel('Reason', { exact: true }).fill('duplicate of an official source');
    await page.getByRole('button', { name: 'Retract', exact: true }).click();
    await page.getByText(`Event ${second} retracted; the index is recomputed.`).waitFor();

    await page.getByRole('link', { name: 'Audit log' }).click();
    await page.locator('table code', { hasText: 'approve_link' }).first().waitFor();
    await page.goto(`${server.url}/events/${second}`);
    await page.getByText('Retracted.').waitFor();
    await page.getByText('duplicate of an official source').waitFor();
    expectClean(watch);
    await page.close();
  });

  it('axe finds no violations on the signed-in admin sections and on a chat answer', async () => {
    const { page, watch } = await open('/admin/review');
    await page.getByLabel('Admin API key').fill(TEST_ADMIN_KEY);
    await page.getByRole('button', { name: 'Use this key' }).click();
    for (const [tab, heading] of [
      ['Review queue', 'Review queue'],
      ['API keys', 'API keys'],
      ['Audit log', 'Audit log'],
      ['LLM budget', /LLM budget for/],
      ['Ingestion', 'Ingestion runs'],
    ] as const) {
      await page.getByRole('link', { name: tab, exact: true }).click();
      await page.getByRole('heading', { level: 2, name: heading }).waitFor();
      await page.waitForLoadState('networkidle');
      expect(await runAxe(page), tab).toEqual([]);
    }
    await page.getByRole('link', { name: 'Ask', exact: true }).click();
    await page.getByLabel('Your question').fill('What is the best published SWE-bench Verified score so far?');
    await page.getByRole('button', { name: 'Ask' }).click();
    await page.getByText('Answer complete.').waitFor({ state: 'attached', timeout: 20_000 });
    await page.locator('.sources li').first().waitFor();
    expect(await runAxe(page), 'chat answer').toEqual([]);
    expectClean(watch);
    await page.close();
  });

  it('unknown pages show the app 404 and unknown API paths stay problem JSON', async () => {
    const { page, watch } = await open('/no-such-page');
    await page.getByRole('heading', { name: 'Page not found' }).waitFor();
    const res = await fetch(`${server.url}/v1/no-such-route`);
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expectClean(watch);
    await page.close();
  });

  it.each(['/', '/events', '/signposts', '/signposts/swe_bench_85', '/methodology', '/what-if', '/chat', '/admin'])(
    'axe finds no violations on %s',
    async (path) => {
      const { page, watch } = await open(path);
      await page.locator('h1').first().waitFor();
      await page.waitForLoadState('networkidle');
      // Serious and critical are the bar; today the pages have no violation of any impact, so any is reported.
      expect(await runAxe(page)).toEqual([]);
      expectClean(watch);
      await page.close();
    },
  );
});
