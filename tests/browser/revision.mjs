// Return for revision and a second round, in the pages only, in three phases that
// tests/api/webapp_review.rs runs one after the other (it prepares round 1 and reads the protocol):
// PHASE=organizer — sets a 30-point threshold and five bands, sees the flagged disagreement on the
//   review page, returns the flagged entry for revision with a remark;
// PHASE=applicant — on a 360 px phone, opens the cabinet link from the e-mail (LINK), reads the
//   judges' remarks (no judge's name), sends the revised PDF;
// PHASE=judge — on a 360 px phone, the judge opens the entry marked "Тур 2", reads their own
//   earlier remarks, scores the revised work with half points and a remark.
import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { chromium } from "playwright-core";

const base = process.env.BASE_URL;
const shots = process.env.SCREENSHOTS;
const phase = process.env.PHASE;
const competition = process.env.COMPETITION;
mkdirSync(shots, { recursive: true });

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
});

async function signIn(page, email) {
  await page.goto(`${base}/app/login`);
  await page.fill("#email", email);
  await page.fill("#password", process.env.PASSWORD);
  await page.click("main form button[type=submit]");
  await page.waitForURL((url) => !url.href.includes("/app/login"));
}

/** Clicks and waits for the page the click leads to, saying where it stopped if it never comes. */
async function clickAndGo(page, locator, url) {
  await locator.scrollIntoViewIfNeeded();
  await page.waitForLoadState("load");
  await Promise.all([page.waitForURL(url, { timeout: 60000 }), locator.click()]).catch(async (e) => {
    throw new Error(`${e.message}\nstill at ${page.url()}: ${(await page.textContent("main")).slice(0, 600)}`);
  });
}

async function fitsThePhone(page) {
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 360, `${width} px wide at 360 px`);
}

const phone = { locale: "ru-RU", viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true };

try {
  if (phase === "organizer") {
    const page = await (await browser.newContext({ locale: "ru-RU", viewport: { width: 1280, height: 900 } })).newPage();
    page.setDefaultTimeout(30000);
    await signIn(page, process.env.ORGANIZER_EMAIL);
    await page.goto(`${base}/app/competitions/${competition}#jury-rules`);
    // «Не менее 30 баллов» and five levels as the regulation writes them, on the judges' mean.
    await page.fill("#pass_min", "30");
    const bands = [
      ["высокий", "45", "degree_1"],
      ["выше среднего", "40", "degree_2"],
      ["средний", "35", "degree_3"],
      ["ниже среднего", "30", "participant"],
      ["низкий", "0", "participant"],
    ];
    for (const [i, [label, min, award]] of bands.entries()) {
      await page.fill(`#band_label_${i}`, label);
      await page.fill(`#band_min_${i}`, min);
      await page.selectOption(`#band_award_${i}`, award);
    }
    await page.selectOption("#rule", "bands");
    await page.fill("#spread", "5");
    await clickAndGo(page, page.locator("#rules-save"), /done=rules/);
    assert.equal(await page.inputValue("#pass_min"), "30");
    assert.equal(await page.inputValue("#band_label_4"), "низкий");

    // The judges are 15 points apart on one entry: flagged for the chair.
    await page.goto(`${base}/app/competitions/${competition}/review`);
    const flagged = await page.textContent("#flagged");
    assert.match(flagged, /Сейтқали Айгерім[^]*оценки расходятся/);
    await page.screenshot({ path: join(shots, "revision-01-flagged.png"), fullPage: true });

    // The flagged entry is offered first; it goes back with the organizer's words.
    const offered = await page.locator("#revision-entry option").first().textContent();
    assert.match(offered, /^! Сейтқали Айгерім/);
    await page.fill("#revision-remark", "Доработайте вывод по замечаниям экспертов");
    await clickAndGo(page, page.locator("#return-for-revision"), /done=returned/);
    assert.ok(await page.isVisible("#returned-done"));
    assert.match(await page.textContent("#rounds-list"), /Сейтқали Айгерім — Тур 2: ждёт доработанную работу/);
    await page.screenshot({ path: join(shots, "revision-02-returned.png"), fullPage: true });
  } else if (phase === "applicant") {
    const page = await (await browser.newContext(phone)).newPage();
    page.setDefaultTimeout(30000);
    await page.goto(process.env.LINK);
    assert.equal(await page.textContent("#state"), "на доработке");
    const round = await page.textContent("#round-1");
    assert.match(round, /Доработайте вывод по замечаниям экспертов/);
    assert.match(round, /Эксперт \d \(Идея\): Вывод не обоснован/);
    assert.ok(!round.includes(process.env.JUDGE_NAME), "the judge stays unnamed");
    await fitsThePhone(page);
    await page.screenshot({ path: join(shots, "revision-03-cabinet-360.png"), fullPage: true });
    const revised = join(shots, "revised.pdf");
    writeFileSync(revised, "%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n");
    await page.setInputFiles("#revision-form input[type=file]", revised);
    await page.locator("#send-revision").scrollIntoViewIfNeeded();
    await Promise.all([page.waitForLoadState("load"), page.click("#send-revision")]);
    await page.waitForSelector("#round-1");
    assert.match(await page.textContent("main"), /Доработанная работа получена/);
    assert.match(await page.textContent("#round-1"), /Доработанная работа отправлена/);
  } else if (phase === "judge") {
    const page = await (await browser.newContext(phone)).newPage();
    page.setDefaultTimeout(30000);
    await signIn(page, process.env.JUDGE_EMAIL);
    await page.goto(`${base}/app/jury`);
    await clickAndGo(page, page.locator("ul.cards a").first(), /\/app\/jury\/[0-9a-f-]{36}$/);
    const second = page.locator("li.entry", { hasText: "Тур 2" });
    assert.equal(await second.count(), 1, "one entry is in its second round");
    await clickAndGo(page, second.locator("h2 a"), /\/entries\/[0-9a-f-]{36}/);
    assert.match(await page.textContent("#works-h"), /Доработанная работа, тур 2/);
    assert.match(await page.textContent("#earlier"), /Тур 1 · Идея: 5 — Вывод не обоснован/);
    await fitsThePhone(page);
    const points = page.locator("#sheet input[inputmode=decimal]");
    await points.nth(0).fill("22,5");
    await points.nth(1).fill("20");
    await page.locator("#sheet textarea").nth(0).fill("Вывод теперь обоснован");
    await page.screenshot({ path: join(shots, "revision-04-round-two-360.png"), fullPage: true });
    await clickAndGo(page, page.locator("#save"), /saved=1/);
    assert.ok(await page.isVisible("#saved"));
  } else {
    throw new Error(`unknown PHASE ${phase}`);
  }
  console.log(`revision ${phase} done`);
} finally {
  await browser.close();
}
