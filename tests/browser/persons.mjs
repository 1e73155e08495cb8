// A person's page in a real headless Chromium at 360 px, in Kazakh, Russian and English: nothing
// scrolls sideways; then, by keyboard and clicks, the organizer finds the misspelt namesake and
// merges them in, and splits one participation off. Started by tests/api/persons.rs.
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { chromium } from "playwright-core";

const base = process.env.BASE_URL;
const shots = process.env.SCREENSHOTS;
const person = process.env.PERSON_ID;
mkdirSync(shots, { recursive: true });
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
});
const fits = (page) => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
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
    await page.goto(`${base}/app/persons?q=${encodeURIComponent("петров")}&lang=${lang}`);
    assert.equal(await page.locator("#persons li a").count(), 3, "three Petrovs");
    assert.ok(await fits(page), `the list fits 360 px in ${lang}`);
    await page.goto(`${base}/app/persons/${person}?q=${encodeURIComponent("михайл")}&lang=${lang}`);
    assert.equal(await page.getAttribute("html", "lang"), lang);
    assert.ok((await page.locator(".history-item").count()) >= 1);
    assert.ok((await page.locator(".history-item .mono a").count()) >= 1, "papers with their links");
    assert.ok(await fits(page), `the person's page fits 360 px in ${lang}`);
    await page.screenshot({ path: join(shots, `41-person-360-${lang}.png`), fullPage: true });
    console.log(`- person at 360 px in ${lang}`);
  }
  // Merge the misspelt boy in, by the keyboard.
  await page.focus("#candidates button");
  await page.keyboard.press("Enter");
  await page.waitForURL(/done=merged/);
  assert.equal(await page.locator(".history-item").count(), 2);
  // Split the first participation off again.
  await page.check(".history-item input[type=checkbox] >> nth=0");
  await page.click("#split button[type=submit]");
  await page.waitForURL(/done=split/);
  assert.equal(await page.locator(".history-item").count(), 1);
  assert.ok(await fits(page));
  console.log("- merged and split in the pages");
} finally {
  await browser.close();
}
