// The report page in a real headless Chromium at 360 px, in Kazakh, Russian and English: nothing
// scrolls sideways, the bars and the paragraph are there. Started by tests/api/reports.rs.
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { chromium } from "playwright-core";

const base = process.env.BASE_URL;
const shots = process.env.SCREENSHOTS;
mkdirSync(shots, { recursive: true });
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
});
try {
  const context = await browser.newContext({ viewport: { width: 360, height: 800 } });
  const page = await context.newPage();
  page.setDefaultTimeout(30000);
  await page.goto(`${base}/app/login`);
  await page.fill("#email", process.env.ORGANIZER_EMAIL);
  await page.fill("#password", process.env.PASSWORD);
  await page.click("main form button[type=submit]");
  await page.waitForURL(`${base}/app/competitions`);
  for (const lang of ["kk", "ru", "en"]) {
    await page.goto(`${base}/app/reports?period=2025-h1&lang=${lang}`);
    await page.waitForSelector("#breakdown-region");
    assert.equal(await page.getAttribute("html", "lang"), lang);
    const fits = await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
    assert.ok(fits, `the report fits 360 px in ${lang}`);
    assert.ok((await page.locator("#breakdown-region .bar").count()) >= 3);
    await page.screenshot({ path: join(shots, `40-report-360-${lang}.png`), fullPage: true });
    console.log(`- report at 360 px in ${lang}`);
  }
} finally {
  await browser.close();
}
