import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { createTestContext, type TestContext } from '../helpers/databases.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { chromiumAvailable, ensureWebBuild, launchChromium, type Chromium, type PageWatch, openWatchedPage } from './chromium.js';

/**
 * P1-8: hostile text that arrives through ingestion (titles, summaries, publishers) and through the
 * chat's answers is shown as text. Every payload would set window.__xss or open a dialog if it ran.
 */
const MARK = 'XSSPROBE';
const TITLE_PAYLOADS = [
  `${MARK} <img src=x onerror="window.__xss=1;alert(1)"> benchmark`,
  `${MARK} <script>window.__xss=1</script> results`,
  `${MARK} "><svg onload="window.__xss=1"> agents`,
];
const SUMMARY_PAYLOAD = [
  `${MARK} scored 50% on SWE-bench Verified.`,
  `[click me](javascript:window.__xss=1) [again](JaVaScRiPt:alert(1)) [data](data:text/html,<script>window.__xss=1</script>)`,
  `<a href="javascript:window.__xss=1">raw link</a> <iframe src="javascript:window.__xss=1"></iframe>`,
  `<img src=x onerror=alert(1)> **bold** [safe](https://example.com/ok)`,
].join('\n');

describe.skipIf(!chromiumAvailable)('XSS payloads through ingestion and chat never execute', () => {
  let t: TestContext;
  let server: TestServer;
  let browser: Chromium;
  let eventIds: number[] = [];

  beforeAll(async () => {
    await ensureWebBuild();
    // Page loads fetch the app's files and several API resources: the per-IP limit is not under test here.
    t = await createTestContext('pglite', { RATE_LIMIT_PER_MINUTE: '100000' });
    const today = new Date().toISOString().slice(0, 10);
    const report = await t.ctx.services.imports.importLines(
      TITLE_PAYLOADS.map((title, i) => ({
        line: i + 1,
        data: {
          title,
          summary: SUMMARY_PAYLOAD,
          url: `https://example.com/xss-probe-${i}?q=<script>`,
          publisher: `<iframe src="javascript:window.__xss=1"></iframe> Probe Lab ${i}`,
          source_type: 'paper',
          tier: (['A', 'B', 'C'] as const)[i],
          published_at: today,
          observations: [{ signpost: 'swe_bench_85', value: 0.5, rationale: '<img src=x onerror="window.__xss=1">' }],
        },
      })),
    );
    expect(report.rejected).toEqual([]);
    eventIds = report.event_ids;
    expect(eventIds).toHaveLength(3);
    server = await startTestServer(t.ctx);
    browser = await launchChromium();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await t?.cleanup();
  });

  const open = (path: string) => openWatchedPage(browser, server.url, path);

  /** Nothing ran, nothing was injected as markup, and no link leads to a script. */
  async function expectInert(page: Page, watch: PageWatch): Promise<void> {
    await page.waitForLoadState('networkidle');
    await expect(page.evaluate(() => (window as unknown as { __xss?: unknown }).__xss)).resolves.toBeUndefined();
    expect(watch.dialogs).toEqual([]);
    expect(watch.cspViolations).toEqual([]);
    expect(watch.pageErrors).toEqual([]);
    const dom = await page.evaluate(() => {
      const all = [...document.querySelectorAll('*')];
      return {
        handlers: all.flatMap((el) =>
          [...el.attributes].filter((a) => a.name.toLowerCase().startsWith('on')).map((a) => `${el.tagName} ${a.name}`),
        ),
        injected: document.querySelectorAll('main img, main iframe, main script, main svg[onload], main object, main embed').length,
        hrefs: [...document.querySelectorAll('[href], [src], [action], [formaction]')].map(
          (el) => el.getAttribute('href') ?? el.getAttribute('src') ?? el.getAttribute('action') ?? el.getAttribute('formaction') ?? '',
        ),
        scripts: [...document.scripts].map((s) => s.src),
      };
    });
    expect(dom.handlers).toEqual([]);
    expect(dom.injected).toBe(0);
    for (const href of dom.hrefs) expect(href.trim().toLowerCase()).not.toMatch(/^(javascript|data|vbscript):/);
    for (const src of dom.scripts) expect(new URL(src).origin).toBe(server.url);
  }

  it('dashboard: payload titles and publishers in this week’s evidence are text', async () => {
    const { page, watch } = await open('/');
    await page.getByText(TITLE_PAYLOADS[0]!).first().waitFor();
    await expectInert(page, watch);
    await page.close();
  });

  it('evidence list and search results show the payloads as text', async () => {
    const { page, watch } = await open(`/events?q=${MARK}`);
    await page.locator('.event-list li').first().waitFor();
    for (const title of TITLE_PAYLOADS) await page.getByText(title).first().waitFor();
    await expectInert(page, watch);
    await page.close();
  });

  it('evidence detail renders the summary as safe markdown: unsafe links lose their href, https ones keep it', async () => {
    for (const id of eventIds) {
      const { page, watch } = await open(`/events/${id}`);
      await page.locator('h1', { hasText: MARK }).waitFor();
      await page.getByText('click me').waitFor();
      await expect(page.getByRole('link', { name: 'click me' }).count()).resolves.toBe(0);
      await expect(page.getByRole('link', { name: 'raw link' }).count()).resolves.toBe(0);
      await expect(page.getByRole('link', { name: 'safe', exact: true }).getAttribute('rel')).resolves.toBe('noopener noreferrer nofollow');
      await page.getByText('<img src=x onerror=alert(1)>', { exact: false }).first().waitFor();
      await expect(page.locator('main strong', { hasText: 'bold' }).count()).resolves.toBe(1);
      await expectInert(page, watch);
      await page.close();
    }
  });

  it('signpost page lists the payload evidence as text', async () => {
    const { page, watch } = await open('/signposts/swe_bench_85');
    await page.getByRole('heading', { name: 'Evidence', exact: true }).waitFor();
    await page.getByText(TITLE_PAYLOADS[0]!).first().waitFor();
    await expectInert(page, watch);
    await page.close();
  });

  it('chat: a streamed answer quoting the payload events renders as text with in-page citations', async () => {
    const { page, watch } = await open('/chat');
    await page.getByLabel('Your question').fill(`What did the ${MARK} benchmark report on SWE-bench Verified?`);
    await page.getByRole('button', { name: 'Ask' }).click();
    await page.getByText('Answer complete.').waitFor({ state: 'attached', timeout: 20_000 });
    const answer = page.locator('.answer').first();
    const text = (await answer.textContent()) ?? '';
    expect(text.length).toBeGreaterThan(0);
    const sources = page.locator('.sources li');
    await sources.first().waitFor();
    const sourceText = (await page.locator('.sources').first().textContent()) ?? '';
    expect(text + sourceText).toContain(MARK);
    // The extractive answer quotes a payload title: it must be on the page as text.
    expect(text).toMatch(/<img src=x onerror|<script>|<svg onload/);
    const citationHrefs = await page.locator('.answer a.citation').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    for (const href of citationHrefs) expect(href).toMatch(/^#src-\d+-\d+$/);
    await expectInert(page, watch);
    await page.close();
  });
});
