// The visual design editor in a real headless Chromium: the organizer drags the name box and the
// QR code on their own background, changes the name's size and colour, adds a text, sees the
// renderer's preview and saves. Started by tests/api/design_editor.rs, which checks the result
// in the issued PDF.
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { chromium } from "playwright-core";

const base = process.env.BASE_URL;
const shots = process.env.SCREENSHOTS;
const design = process.env.DESIGN;
mkdirSync(shots, { recursive: true });
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
});

async function drag(page, selector, dx, dy) {
  const box = await page.locator(selector).boundingBox();
  const x = box.x + box.width / 2, y = box.y + box.height / 2;
  await page.mouse.move(x, y);
  await page.mouse.down();
  await page.mouse.move(x + dx / 2, y + dy / 2, { steps: 4 });
  await page.mouse.move(x + dx, y + dy, { steps: 4 });
  await page.mouse.up();
}

async function set(page, selector, value) {
  await page.$eval(selector, (el, v) => {
    if (el.type === "checkbox") el.checked = v; else el.value = v;
    el.dispatchEvent(new Event("change", { bubbles: true }));
  }, value);
}

try {
  const context = await browser.newContext({ locale: "ru-RU", viewport: { width: 1200, height: 900 } });
  const page = await context.newPage();
  page.setDefaultTimeout(15000);
  page.on("pageerror", (error) => console.log(`page error: ${error.message}`));
  page.on("console", (message) => { if (message.type() === "error") console.log(`console: ${message.text()}`); });
  page.on("response", (r) => { if (r.status() >= 400) console.log(`answer ${r.status()} ${r.request().method()} ${r.url()}`); });
  await page.goto(`${base}/app/login`);
  await page.fill("#email", process.env.ORGANIZER_EMAIL);
  await page.fill("#password", process.env.PASSWORD);
  await page.click("main form button[type=submit]");
  await page.waitForURL(`${base}/app/competitions`);

  await page.goto(`${base}/app/designs/${design}`);
  await page.click("#edit-design");
  await page.waitForSelector('#stage .el[data-text="{holder}"]');
  const background = await page.$eval("#stage", (s) => getComputedStyle(s).backgroundImage);
  assert.match(background, /pictures\/background/, "the organizer's background is under the page");
  const width = await page.$eval("#stage", (s) => s.clientWidth);
  const mm = width / 297;
  console.log(`- editor open, ${width} px for 297 mm`);

  // The name: down by 30 mm and left by 40 mm; then larger and red.
  await drag(page, '#stage .el[data-text="{holder}"]', -40 * mm, 30 * mm);
  const holderX = Number(await page.inputValue("#el-x"));
  const holderY = Number(await page.inputValue("#el-y"));
  await set(page, "#el-size", "30");
  await set(page, "#el-colour", "#aa0000");
  console.log(`- name box dragged to ${holderX}, ${holderY} mm, 30 pt, #AA0000`);

  // The QR code: to the left bottom corner area.
  await drag(page, "#stage .el-qr", -200 * mm, 0);
  const qrX = Number(await page.inputValue("#el-x"));
  const qrY = Number(await page.inputValue("#el-y"));
  console.log(`- QR code dragged to ${qrX}, ${qrY} mm`);

  // A QR code under 30 mm is said at once, at the element.
  await set(page, "#el-w", "20");
  assert.ok(await page.locator("#stage .el-qr.wrong").count() === 1, "a small QR code is marked");
  assert.match(await page.textContent("#editor-status"), /30/);
  await page.click("#undo");
  assert.equal(await page.locator("#stage .el-qr.wrong").count(), 0, "undo puts it back");

  // A text of one's own, moved with the keyboard.
  await page.click("#add-text");
  await set(page, "#el-text", "Тестовый текст редактора");
  await page.focus('#stage .el[data-text="Тестовый текст редактора"]');
  for (let i = 0; i < 5; i++) await page.keyboard.press("Shift+ArrowDown");
  const addedY = Number(await page.inputValue("#el-y"));

  await page.click("#preview-button");
  await page.waitForSelector("#editor-preview[data-updated]");
  const previewWidth = await page.$eval("#editor-preview", (img) => img.naturalWidth);
  assert.ok(previewWidth > 500, "the renderer's own picture of the unsaved design");
  await page.screenshot({ path: join(shots, "50-design-editor.png"), fullPage: true });
  console.log(`- preview drawn by the renderer (${previewWidth} px wide); added text at y ${addedY}`);

  await page.click("#save-design");
  await page.waitForURL(/done=edited/);
  console.log(`RESULT ${JSON.stringify({ holderX, holderY, qrX, qrY, addedY })}`);
} finally {
  await browser.close();
}
