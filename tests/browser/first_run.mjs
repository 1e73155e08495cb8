// First run in a real headless Chromium: the setup link from the service's log creates the
// organization and its administrator, who lands signed in; the link then says it is used.
// Started by tests/api/first_run.rs with the link in env.
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { chromium } from "playwright-core";

const base = process.env.BASE_URL;
const link = process.env.SETUP_LINK;
const shots = process.env.SCREENSHOTS;
mkdirSync(shots, { recursive: true });

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
});
try {
  const context = await browser.newContext({ locale: "kk-KZ", viewport: { width: 360, height: 800 } });
  const page = await context.newPage();
  page.setDefaultTimeout(30000);

  await page.goto(`${base}/app/login`);
  assert.ok(await page.isVisible("#no-accounts"), "a fresh server says where the setup link is");
  console.log("- the sign-in page of a fresh server points to the setup link");

  await page.goto(link);
  await page.waitForSelector("#setup-form");
  assert.ok(
    await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth),
    "the setup page fits 360 px"
  );
  await page.fill("#name_kk", "Қосымша білім берудің республикалық орталығы");
  await page.fill("#name_ru", "Республиканский центр дополнительного образования");
  await page.fill("#slug", "дворец");
  await page.fill("#city", "Астана");
  await page.fill("#name", "Ахметова Гүлнар");
  await page.fill("#email", "admin@dvorets.kz");
  await page.fill("#password", "correct horse battery staple");
  await page.fill("#password_again", "correct horse battery staple");
  await page.screenshot({ path: join(shots, "30-setup-360-kk.png"), fullPage: true });
  await page.click("#setup-form button[type=submit]");
  // A short name in Cyrillic is refused with the reason, the form kept.
  await page.waitForSelector("#setup-form .alert, main .alert");
  assert.equal(await page.inputValue("#name_ru"), "Республиканский центр дополнительного образования");
  await page.fill("#slug", "Dvorets-Astana");
  await page.fill("#password", "correct horse battery staple");
  await page.fill("#password_again", "correct horse battery staple");
  await page.click("#setup-form button[type=submit]");
  await page.waitForURL(`${base}/app/competitions`);
  assert.match(await page.textContent("body"), /Ахметова Гүлнар/);
  await page.screenshot({ path: join(shots, "31-setup-done-360-kk.png"), fullPage: true });
  console.log("- the organization and its administrator are created; signed in");

  const again = await browser.newContext({ locale: "ru-RU" });
  const second = await again.newPage();
  const response = await second.goto(link);
  assert.equal(response.status(), 410);
  assert.ok(await second.isVisible("#setup-closed"));
  console.log("- the link works once");
} finally {
  await browser.close();
}
