// The results preview in a real headless Chromium, as a methodist uses it: a file with a bad row
// shows its problems with the columns named in Russian; the corrected file's unknown award word is
// mapped once in the page, its namesakes pass, its exact repeat is dropped by a radio button, and
// the import says what it added. Started by tests/api/real_results.rs with what it made in env.
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { chromium } from "playwright-core";

const base = process.env.BASE_URL;
const shots = process.env.SCREENSHOTS;
mkdirSync(shots, { recursive: true });
const competition = `${base}/app/competitions/${process.env.COMPETITION}`;

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
});
const step = (name) => console.log(`- ${name}`);

try {
  const context = await browser.newContext({ locale: "ru-RU", viewport: { width: 1100, height: 800 } });
  const page = await context.newPage();
  page.setDefaultTimeout(30000);
  await page.goto(`${base}/app/login`);
  await page.fill("#email", process.env.ORGANIZER_EMAIL);
  await page.fill("#password", process.env.PASSWORD);
  await page.click("main form button[type=submit]");
  await page.waitForURL(`${base}/app/competitions`);

  // A file with a nameless row: the error table names the column as the organizer knows it.
  await page.goto(competition);
  await page.setInputFiles("#file", process.env.BAD_FILE);
  await page.click("main form[enctype] button[type=submit]");
  await page.waitForSelector("#errors-table");
  const errors = await page.textContent("#errors-table");
  assert.match(errors, /Участник/, "the column in Russian");
  assert.doesNotMatch(errors, /\bname\b/, "not the field's code");
  assert.ok(await page.isHidden("#import"), "nothing to import while a row is wrong");
  await page.screenshot({ path: join(shots, "21-results-errors-ru.png"), fullPage: true });
  step("the error table says «Участник», not name");

  // The real file: an unknown word to map, a repeat to decide.
  await page.goto(competition);
  await page.setInputFiles("#file", process.env.GOOD_FILE);
  await page.click("main form[enctype] button[type=submit]");
  await page.waitForSelector("#unknown-awards");
  const unknown = await page.textContent("#unknown-awards");
  assert.match(unknown, /«Молодец»/);
  assert.match(unknown, /строк: 2/);
  assert.ok(await page.isHidden("#import"), "the word is mapped before anything is imported");
  await page.screenshot({ path: join(shots, "22-results-unknown-word.png"), fullPage: true });
  await page.selectOption("#unknown-awards select[name=award]", "special_prize");
  await page.fill("#unknown-awards input[name=title]", "Приз «Молодец»");
  await page.click("#unknown-awards button[type=submit]");
  await page.waitForSelector("#repeats-table");
  assert.ok(await page.isHidden("#unknown-awards"), "mapped: the word is known now");
  const preview = await page.textContent("#preview-table");
  assert.match(preview, /Приз «Молодец»/, "the preview shows what the paper will print");
  step("«Молодец» mapped to a special prize in the page");

  const repeats = await page.locator("#repeats-table tbody tr").count();
  assert.equal(repeats, 1, "one exact repeat; the namesakes are not repeats");
  const row = await page.getAttribute("#repeats-table tbody tr", "data-row");
  assert.equal(row, process.env.REPEAT_ROW);
  assert.match(await page.textContent("#repeats-table"), new RegExp(`повторяет строку ${process.env.FIRST_ROW}`));
  await page.check(`input[name=row_${row}][value=drop]`);
  await page.screenshot({ path: join(shots, "23-results-repeats.png"), fullPage: true });
  await page.click("#import");
  await page.waitForURL(/done=imported/);
  assert.equal(await page.textContent("#count-entries"), process.env.EXPECTED_ENTRIES);
  assert.match(await page.textContent("main"), new RegExp(`добавлено ${process.env.EXPECTED_ENTRIES}`));
  step(`repeat on row ${row} dropped; ${process.env.EXPECTED_ENTRIES} entries imported`);

  // The word is remembered: the same file again needs no mapping, and updates nothing.
  await page.setInputFiles("#file", process.env.GOOD_FILE);
  await page.click("main form[enctype] button[type=submit]");
  await page.waitForSelector("#repeats-table");
  assert.ok(await page.isHidden("#unknown-awards"));
  await page.check(`input[name=row_${row}][value=drop]`);
  await page.click("#import");
  await page.waitForURL(/done=imported/);
  assert.match(await page.textContent("main"), /добавлено 0, обновлено 0/);
  assert.equal(await page.textContent("#count-entries"), process.env.EXPECTED_ENTRIES);
  step("the same file again: the word remembered, nothing added or updated");
} finally {
  await browser.close();
}
