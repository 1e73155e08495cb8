// A judge on a 360 px phone in a blind review: opens the next entry from their list, sees its PDF
// work in the page (no name anywhere), scores with half points and a decimal comma, writes a
// remark on a criterion and one overall, saves and lands on the next entry, the progress counted.
// Started by tests/api/webapp_review.rs, which prepares the competition and checks the stored sheet.
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { chromium } from "playwright-core";

const base = process.env.BASE_URL;
const shots = process.env.SCREENSHOTS;
const hidden = JSON.parse(process.env.HIDDEN);
mkdirSync(shots, { recursive: true });

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
});

try {
  const context = await browser.newContext({
    locale: "ru-RU",
    viewport: { width: 360, height: 740 },
    isMobile: true,
    hasTouch: true,
  });
  const page = await context.newPage();
  page.setDefaultTimeout(30000);
  await page.goto(`${base}/app/login`);
  await page.fill("#email", process.env.JUDGE_EMAIL);
  await page.fill("#password", process.env.PASSWORD);
  await page.click("main form button[type=submit]");
  await page.waitForURL(`${base}/app/jury`);
  await page.click("ul.cards a");
  await page.waitForURL(/\/app\/jury\/[0-9a-f-]{36}$/);
  assert.equal(await page.textContent("#scored-count"), "0");
  assert.ok(await page.isVisible("#blind-note"), "the judge is told the review is blind");

  await page.click("#next-entry");
  await page.waitForURL(/\/entries\/[0-9a-f-]{36}/);
  const first = page.url();
  const text = await page.textContent("body");
  for (const name of hidden) assert.ok(!text.includes(name), `${name} shown to a blind judge`);
  assert.match(await page.textContent("#entry-title"), /№ \d/);

  // The work is in the page: an inline PDF served to this judge only, under a name that says nothing.
  const frame = page.locator("#works iframe");
  assert.equal(await frame.count(), 1);
  const src = await frame.getAttribute("src");
  const work = await page.evaluate(async (url) => {
    const r = await fetch(url);
    const head = new Uint8Array(await r.arrayBuffer()).subarray(0, 4);
    return {
      status: r.status,
      type: r.headers.get("content-type"),
      disposition: r.headers.get("content-disposition"),
      head: String.fromCharCode(...head),
    };
  }, src);
  assert.equal(work.status, 200);
  assert.equal(work.type, "application/pdf");
  assert.equal(work.head, "%PDF");
  assert.match(work.disposition, /work-1\.pdf/);
  for (const name of hidden) assert.ok(!work.disposition.includes(name));

  // The page fits the phone: nothing wider than the screen.
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 360, `${width} px wide at 360 px`);

  const points = page.locator("#sheet input[inputmode=decimal]");
  assert.equal(await points.count(), 2);
  await points.nth(0).fill("4,5");
  await points.nth(1).fill("3.5");
  await page.locator("#sheet textarea").nth(0).fill("Идея раскрыта не полностью");
  await page.fill("#remark", "Добавьте список литературы");
  await page.screenshot({ path: join(shots, "review-01-entry-360.png"), fullPage: true });
  // A full-page screenshot resizes the phone's viewport and back, and the lazy PDF frame (60vh)
  // may still be laying out: wait until the button stands still in view, then click and wait for
  // the navigation together, so that neither a moving target nor a fast answer is missed.
  const saveNext = page.locator("#save-next");
  await saveNext.scrollIntoViewIfNeeded();
  await page.waitForLoadState("load");
  await Promise.all([
    page.waitForURL((url) => url.href.includes("/entries/") && !url.href.startsWith(first), {
      timeout: 60000,
    }),
    saveNext.click(),
  ]).catch(async (e) => {
    throw new Error(`${e.message}\nstill at ${page.url()}: ${(await page.textContent("main")).slice(0, 400)}`);
  });
  assert.equal(await page.textContent("#scored-count"), "1");
  assert.equal(await page.textContent("#left-count"), "1");
  await page.screenshot({ path: join(shots, "review-02-next-360.png"), fullPage: true });

  // Back to the first: the sheet is kept as typed, with the decimal comma.
  await page.goto(first);
  assert.equal(await points.nth(0).inputValue(), "4,5");
  assert.equal(await points.nth(1).inputValue(), "3,5");
  assert.equal(await page.inputValue("#remark"), "Добавьте список литературы");
  console.log("review run done");
} finally {
  await browser.close();
}
