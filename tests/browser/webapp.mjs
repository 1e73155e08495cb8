// The web application in a real headless Chromium: an organizer runs a competition from sign-in to
// the ZIP, the print file, a bundle and e-mail, a judge scores, the organizer disables and enables
// the judge, a parent finds and downloads a diploma, pages in kk/ru/en and at 360 px.
// Started by tests/api/webapp_browser.rs, which runs the service and passes what it made in env.
import assert from "node:assert/strict";
import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { chromium } from "playwright-core";

const base = process.env.BASE_URL;
const password = process.env.PASSWORD;
const shots = process.env.SCREENSHOTS;
const downloads = process.env.DOWNLOADS;
mkdirSync(shots, { recursive: true });

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
});
const steps = [];
const step = (name) => { steps.push(name); console.log(`- ${name}`); };

const pages = [];
async function newPage(viewport = { width: 1100, height: 800 }) {
  const context = await browser.newContext({ locale: "ru-RU", viewport, acceptDownloads: true });
  const page = await context.newPage();
  pages.push(page);
  page.setDefaultTimeout(30000);
  return page;
}

// Screenshots are for people to look at, not what the test checks: Chromium on a loaded machine
// sometimes cannot capture a full page ("Unable to capture screenshot"), so one more try, then
// the viewport only, then none.
async function shot(page, name, fullPage = true) {
  const path = join(shots, `${name}.png`);
  for (const whole of fullPage ? [true, true, false] : [false, false]) {
    try {
      await page.screenshot({ path, fullPage: whole });
      return;
    } catch (e) {
      console.error(`screenshot ${name}: ${e.message.split("\n")[0]}`);
    }
  }
}

async function signIn(page, email) {
  await page.goto(`${base}/app/login`);
  await page.fill("#email", email);
  await page.fill("#password", password);
  await page.click("main form button[type=submit]");
}

async function download(page, selector, file) {
  const [dl] = await Promise.all([page.waitForEvent("download"), page.click(selector)]);
  const path = join(downloads, file);
  await dl.saveAs(path);
  return readFileSync(path);
}

/** Whether the page fits the viewport's width: nothing to scroll sideways. */
async function fitsWidth(page) {
  return page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
}

try {
  // The organizer.
  const organizer = await newPage();
  await signIn(organizer, process.env.ORGANIZER_EMAIL);
  await organizer.waitForURL(`${base}/app/competitions`);
  step("organizer signed in");

  await organizer.click("text=Новый конкурс");
  await organizer.fill("#title", "Республиканский конкурс «Жас зерттеуші»");
  await organizer.selectOption("#language", "ru");
  await organizer.fill("#ends_on", "2026-11-20");
  await organizer.fill("#city", "Астана");
  await organizer.click("main form button[type=submit]");
  await organizer.waitForURL(/\/app\/competitions\/[0-9a-f-]{36}$/);
  const competitionUrl = organizer.url();
  step("competition created");

  await organizer.setInputFiles("#file", process.env.RESULTS_FILE);
  await organizer.click("text=Проверить файл");
  await organizer.waitForSelector("#preview-table");
  const rows = Number(process.env.RESULTS_ROWS);
  const previewRows = await organizer.locator("#preview-table tbody tr").count();
  assert.equal(previewRows, Math.min(rows, 50), "the preview shows the first 50 rows");
  assert.match(await organizer.textContent("#preview-table caption"), new RegExp(`/ ${rows}`));
  assert.match(await organizer.textContent("#preview-table"), /Сейтқали Айгерім Нұрланқызы/);
  await shot(organizer, "02-preview");
  step(`preview shows ${previewRows} of ${rows} rows`);

  await organizer.click("#import");
  await organizer.waitForURL(/done=imported/);
  assert.equal(await organizer.textContent("#count-entries"), process.env.RESULTS_ROWS);
  step("results imported");

  // The design choice: the preview picture follows the select without a reload, filled with the
  // first row, and the choice is saved.
  const previewLoaded = () =>
    organizer.waitForFunction(() => {
      const img = document.getElementById("design-preview");
      return img && img.complete && img.naturalWidth > 0 && !img.hasAttribute("aria-busy");
    });
  await previewLoaded();
  const landscape = await organizer.$eval("#design-preview", (img) => img.naturalWidth / img.naturalHeight);
  assert.ok(await organizer.isHidden("#design-show"), "with scripts the preview needs no button");
  await organizer.selectOption("#design-name", "modern");
  await organizer.waitForFunction(() => document.getElementById("design-preview").src.includes("design=modern"));
  await previewLoaded();
  const portrait = await organizer.$eval("#design-preview", (img) => img.naturalWidth / img.naturalHeight);
  assert.ok(landscape > 1 && portrait < 1, `classic is landscape, modern portrait (${landscape}, ${portrait})`);
  assert.equal(await organizer.inputValue("#design-chosen"), "modern");
  await shot(organizer, "03-design-preview");
  await organizer.click("#design-use");
  await organizer.waitForURL(/done=design/);
  assert.equal(await organizer.textContent("#design-current"), "modern");
  step(`design preview follows the choice live (classic ${landscape.toFixed(2)}, modern ${portrait.toFixed(2)}); modern chosen`);

  await organizer.fill("#criteria", "Идея; 10\nИсполнение; 10");
  await organizer.click("form[action$='/criteria'] button");
  await organizer.waitForURL(/done=criteria/);
  await organizer.selectOption("#judge-user", { index: 0 });
  await organizer.fill("#judge-org", "Гимназия №1");
  await organizer.click("form[action$='/judges'] button");
  await organizer.waitForURL(/done=judge/);
  await shot(organizer, "03-competition");
  step("criteria set and a judge seated");

  await organizer.click("form[action$='/issue'] button");
  await organizer.waitForURL(/\/app\/jobs\//);
  const seen = new Set();
  const started = Date.now();
  for (;;) {
    const state = await organizer.getAttribute("#job", "data-state");
    seen.add(await organizer.getAttribute("#progress", "value"));
    if (state === "done") break;
    assert.notEqual(state, "failed");
    assert.ok(Date.now() - started < 120000, "issuing took too long");
    await organizer.waitForTimeout(50);
  }
  // The script moved the bar without a reload: the page is the same one, at 100 %.
  assert.equal(await organizer.getAttribute("#progress", "value"), "100");
  assert.equal(await organizer.textContent("#percent"), "100");
  await shot(organizer, "04-issued");
  step(`progress reached 100 % (values seen: ${[...seen].join(", ")})`);

  const zip = await download(organizer, "#zip-link", "documents.zip");
  assert.equal(zip.subarray(0, 2).toString(), "PK");
  step(`ZIP downloaded (${zip.length} bytes)`);

  // The competition page's downloads and e-mail.
  await organizer.goto(competitionUrl);
  const print = await download(organizer, "#download-print", "print.pdf");
  assert.equal(print.subarray(0, 4).toString(), "%PDF");
  step(`print file downloaded (${print.length} bytes)`);
  await organizer.click("#open-bundles");
  await organizer.waitForURL(/\/bundles$/);
  const bundleRows = await organizer.locator("#bundles tbody tr").count();
  assert.equal(bundleRows, Number(await organizer.textContent("#bundle-count")));
  const bundleZip = await download(organizer, "#bundles tbody tr:first-child a:first-child", "bundle.zip");
  assert.equal(bundleZip.subarray(0, 2).toString(), "PK");
  step(`bundles page lists ${bundleRows} organizations; one bundle downloaded`);
  await organizer.goto(competitionUrl);
  assert.equal(await organizer.textContent("#mail-sent"), "0");
  await organizer.click("#send-mail");
  await organizer.waitForURL(/\/deliveries\?done=queued&n=3/);
  for (let i = 0; (await organizer.textContent("#sum-sent")) !== "3"; i++) {
    assert.ok(i < 150, "the messages were not sent");
    await organizer.waitForTimeout(200);
    await organizer.reload();
  }
  assert.equal(await organizer.locator("#messages li.message.sent").count(), 3);
  await shot(organizer, "15-deliveries-ru");
  await organizer.goto(competitionUrl);
  assert.equal(await organizer.textContent("#mail-sent"), "3");
  await organizer.locator("#downloads").scrollIntoViewIfNeeded();
  await shot(organizer, "13-downloads");
  step("3 messages sent from the competition page; its e-mail block counts them");

  await organizer.goto(`${competitionUrl}/documents`);
  const verifyHref = await organizer.locator("li.doc", { hasText: "Сейтқали" }).locator("a[href*='/v/']").getAttribute("href");
  const code = verifyHref.split("/v/")[1];
  await organizer.fill("#q", "Сейтқали");
  await organizer.click("form.search button");
  assert.equal(await organizer.locator("li.doc").count(), 1);
  await shot(organizer, "05-documents");
  step("documents searched by name");

  // Three languages, remembered.
  for (const [lang, heading] of [["kk", "Байқаулар"], ["en", "Competitions"], ["ru", "Конкурсы"]]) {
    await organizer.goto(`${base}/app/competitions?lang=${lang}`);
    assert.equal(await organizer.getAttribute("html", "lang"), lang);
    assert.equal((await organizer.textContent("h1")).trim(), heading);
    await shot(organizer, `06-competitions-${lang}`);
  }
  await organizer.goto(`${base}/app/competitions?lang=kk`);
  await organizer.goto(competitionUrl);
  assert.equal(await organizer.getAttribute("html", "lang"), "kk", "the choice is remembered");
  assert.match(await organizer.textContent("main"), /Құжаттарды беру/);
  await shot(organizer, "07-competition-kk");
  step("pages in kk, en and ru; the choice remembered");

  // The judge.
  const judge = await newPage();
  await signIn(judge, process.env.JUDGE_EMAIL);
  await judge.waitForURL(`${base}/app/jury`);
  await judge.click("ul.cards a");
  await judge.waitForURL(/\/app\/jury\/[0-9a-f-]{36}$/);
  const seatUrl = judge.url();
  // The next entry to score opens on its own page, the sheet beside the work.
  await judge.click("#next-entry");
  await judge.waitForURL(/\/entries\//);
  const inputs = judge.locator("#sheet input[inputmode=decimal]");
  assert.equal(await inputs.count(), 2);
  await inputs.nth(0).fill("9");
  await inputs.nth(1).fill("7");
  await judge.click("#save");
  await judge.waitForURL(/saved=1/);
  assert.equal(await judge.textContent("#scored-count"), "1");
  await judge.goto(seatUrl);
  assert.equal(await judge.locator("li.entry .badge.valid").count(), 1);
  // The judge's own school is not theirs to score: the list says so.
  assert.ok((await judge.locator("li.entry .note").count()) >= 1);
  await shot(judge, "08-jury", false);
  step("the judge scored an entry; own school's entry has no form");

  // The organization's people: the judge is disabled (their open page stops working), then
  // enabled again from the keyboard.
  await organizer.goto(`${base}/app/people?lang=ru`);
  const judgeCard = organizer.locator("li.person", { hasText: process.env.JUDGE_EMAIL });
  assert.match(await judgeCard.textContent(), /Член жюри/);
  await judgeCard.locator("form[action$='/disable'] button").click();
  await organizer.waitForURL(/done=disabled/);
  assert.match(await judgeCard.textContent(), /отключена/);
  await shot(organizer, "17-people-ru");
  await judge.reload();
  assert.match(new URL(judge.url()).pathname, /^\/app\/login$/, "a disabled judge's session ends");
  await organizer.focus("li.person form[action$='/enable'] button");
  await organizer.keyboard.press("Enter");
  await organizer.waitForURL(/done=enabled/);
  for (const lang of ["kk", "en"]) {
    await organizer.goto(`${base}/app/people?lang=${lang}`);
    assert.equal(await organizer.getAttribute("html", "lang"), lang);
    await shot(organizer, `17-people-${lang}`);
  }
  await organizer.goto(`${base}/app/people?lang=ru`);
  step("users page: the judge disabled (session ended) and enabled again with the keyboard");

  // A parent on a phone.
  const parent = await newPage({ width: 360, height: 740 });
  await parent.goto(`${base}/find?lang=kk`);
  await parent.fill("#code", code);
  await parent.fill("#surname", "сейтқали");
  await parent.click("main form button[type=submit]");
  await parent.waitForSelector("#download-pdf");
  assert.ok(await fitsWidth(parent), "the find page fits 360 px");
  await shot(parent, "09-find-360-kk");
  const pdf = await download(parent, "#download-pdf", "diploma.pdf");
  assert.equal(pdf.subarray(0, 4).toString(), "%PDF");
  step(`the parent found and downloaded the diploma (${pdf.length} bytes)`);

  // Organizer pages at 360 px.
  const phone = await newPage({ width: 360, height: 740 });
  await signIn(phone, process.env.ORGANIZER_EMAIL);
  await phone.waitForURL(`${base}/app/competitions`);
  for (const [url, name] of [
    [`${base}/app/competitions?lang=ru`, "10-competitions-360"],
    [competitionUrl, "11-competition-360"],
    [`${competitionUrl}/documents`, "12-documents-360"],
    [`${competitionUrl}/bundles`, "14-bundles-360"],
    [`${competitionUrl}/deliveries`, "16-deliveries-360"],
    [`${base}/app/people`, "18-people-360"],
  ]) {
    await phone.goto(url);
    assert.ok(await fitsWidth(phone), `${url} fits 360 px`);
    await shot(phone, name, !name.startsWith("12-"));
  }
  // Searching the documents on the phone.
  await phone.goto(`${competitionUrl}/documents`);
  await phone.fill("#q", "Иванов");
  await phone.press("#q", "Enter");
  await phone.waitForURL(/q=/);
  assert.equal(await phone.locator("li.doc").count(), 1);
  assert.ok(await fitsWidth(phone), "the search result fits 360 px");
  await shot(phone, "19-documents-search-360", false);
  step("organizer pages fit 360 px; the document search works on the phone");

  const login = await newPage();
  await login.goto(`${base}/app/login?lang=en`);
  await shot(login, "01-login-en");
  console.log(`ok: ${steps.length} steps`);
} catch (error) {
  // What each page showed when it failed, for the report.
  for (const [i, page] of pages.entries()) {
    await page.screenshot({ path: join(shots, `failed-${i}.png`), fullPage: true }).catch(() => {});
    console.log(`page ${i} at ${page.url()}`);
  }
  throw error;
} finally {
  await browser.close();
}
