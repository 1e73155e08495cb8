// The administrator made by the setup link fills the organization's profile in a real headless
// Chromium: the head who signs, and a logo and a stamp uploaded as files. Started by
// tests/api/first_run.rs with the address, the account and the pictures' files in env.
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
  const context = await browser.newContext({ locale: "ru-RU", viewport: { width: 360, height: 800 } });
  const page = await context.newPage();
  page.setDefaultTimeout(30000);

  await page.goto(`${base}/app/login`);
  await page.fill("#email", process.env.EMAIL);
  await page.fill("#password", process.env.PASSWORD);
  await page.click("form[action='/app/login'] button[type=submit]");
  await page.waitForURL(`${base}/app/competitions`);

  await page.goto(`${base}/app/organization`);
  await page.fill("#head_title", process.env.HEAD_TITLE);
  await page.fill("#head_name", process.env.HEAD_NAME);
  await page.fill("#phone", "+7 7172 00 00 00");
  await page.fill("#website", "https://dvorets.kz");
  await page.click("#profile-form button[type=submit]");
  await page.waitForSelector("#profile-saved");
  assert.equal(await page.inputValue("#head_name"), process.env.HEAD_NAME);
  console.log("- the head who signs is saved");

  for (const [role, file] of [["logo", process.env.LOGO_FILE], ["stamp", process.env.STAMP_FILE]]) {
    await page.setInputFiles(`#file-${role}`, file);
    await page.click(`#picture-${role} form[enctype] button[type=submit]`);
    await page.waitForSelector(`#picture-${role} img.thumb`);
    const shown = await page.evaluate(
      (role) => document.querySelector(`#picture-${role} img.thumb`).naturalWidth,
      role
    );
    assert.ok(shown > 0, `the ${role} is shown on the page`);
  }
  assert.ok(
    await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth),
    "the profile page fits 360 px"
  );
  await page.screenshot({ path: join(shots, "32-profile-pictures-360-ru.png"), fullPage: true });
  console.log("- the logo and the stamp are uploaded and shown");
} finally {
  await browser.close();
}
