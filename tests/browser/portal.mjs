// The competition portal in a real headless Chromium, by clicks only, the parent on a 360 px phone:
// the parent opens the shared competition link, applies with a file and a team of 3, opens the
// private link from the e-mail (read from the real SMTP server's mailbox folder), corrects the
// application after the organizer returned it, sees it accepted; the organizer moderates, seats a
// judge, who reads the uploaded work; after the results are issued and published, the parent
// downloads the diploma from the cabinet and finds it on the public results page by surname.
// Started by tests/api/webapp_portal.rs, which checks the database and the mailbox afterwards.
import assert from "node:assert/strict";
import { mkdirSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { chromium } from "playwright-core";

const base = process.env.BASE_URL;
const password = process.env.PASSWORD;
const shots = process.env.SCREENSHOTS;
const mailDir = process.env.MAIL_DIR;
const competition = process.env.COMPETITION;
const workFile = process.env.WORK_FILE;
mkdirSync(shots, { recursive: true });

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
});
const started = Date.now();
const step = (name) => console.log(`- ${name} (${((Date.now() - started) / 1000).toFixed(1)} s)`);

async function newPage(width, height) {
  const context = await browser.newContext({ locale: "ru-RU", viewport: { width, height }, acceptDownloads: true });
  const page = await context.newPage();
  page.setDefaultTimeout(30000);
  return page;
}

async function shot(page, name) {
  try {
    await page.screenshot({ path: join(shots, `portal-${name}.png`), fullPage: true });
  } catch (e) {
    console.error(`screenshot ${name}: ${e.message.split("\n")[0]}`);
  }
}

async function signIn(page, email) {
  await page.goto(`${base}/app/login`);
  await page.fill("#email", email);
  await page.fill("#password", password);
  await page.click("main form button[type=submit]");
  await page.waitForURL((url) => !url.pathname.endsWith("/login"));
}

/** The private links sent to the parent so far, oldest first, read from the mailbox folder. */
async function links(wanted) {
  for (let i = 0; i < 300; i++) {
    const found = readdirSync(mailDir)
      .filter((f) => f.endsWith(".eml"))
      .sort()
      .map((f) => readFileSync(join(mailDir, f), "utf8"))
      .map((m) => {
        // A plain-text message in one part: its body is base64 or quoted-printable.
        const [head, ...rest] = m.split(/\r?\n\r?\n/);
        const body = rest.join("\n");
        return /content-transfer-encoding: base64/i.test(head)
          ? head + Buffer.from(body.replace(/\s+/g, ""), "base64").toString("utf8")
          : m.replace(/=\r?\n/g, "");
      })
      .filter((m) => m.includes("parent@family.test"))
      .map((m) => (m.match(/\/a\/[0-9a-f]{64}/) || [])[0])
      .filter(Boolean);
    if (found.length >= wanted) return found;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no ${wanted} links in ${mailDir}`);
}

/** No part of a phone's page wider than the phone. */
async function fits(page) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 1, `the page is ${overflow} px wider than the phone at ${page.url()}`);
}

try {
  // The parent, from a link pasted into a chat.
  const parent = await newPage(360, 740);
  await parent.goto(`${base}/c/${competition}`);
  assert.equal(await parent.getAttribute('meta[property="og:title"]', "content"), "Жас дарын 2026");
  await fits(parent);
  await shot(parent, "announcement");
  await parent.click("#apply");
  await parent.fill("#f-holder", "Ансамбль «Шаттық»");
  await parent.fill("#member-1", "Сейтқали Айгерім");
  await parent.fill("#member-2", "Ким Дана");
  await parent.fill("#member-3", "Әлиев Бауыржан");
  await parent.fill("#f-school", "СОШ №12");
  await parent.fill("#f-region", "Астана");
  await parent.selectOption("#f-nomination", "Вокал");
  await parent.fill("#f-email", "parent@family.test");
  await parent.fill("#f-f1", "7");
  await parent.setInputFiles("#w-work", workFile);
  await parent.check("#f-minor");
  await parent.fill("#f-guardian_name", "Сейтқали Нұрлан");
  await parent.check("#f-consent");
  await fits(parent);
  await shot(parent, "form");
  await parent.click("#send");
  await parent.waitForSelector("#applied");
  step("the parent applied with a file and a team of 3 on a 360 px phone");

  let [link] = await links(1);
  await parent.goto(`${base}${link}`);
  assert.equal((await parent.textContent("#state")).trim(), "на рассмотрении");
  await fits(parent);
  step("the link from the e-mail opens the cabinet");

  // The organizer returns it with a remark.
  const organizer = await newPage(1100, 800);
  await signIn(organizer, "metodist@dvorets.kz");
  await organizer.goto(`${base}/app/competitions/${competition}`);
  await organizer.click("#applications-link");
  await organizer.click("#applications tbody tr a");
  assert.ok(await organizer.isVisible("a.work"), "the organizer sees the work");
  await organizer.fill("#remark", "Укажите полное название школы");
  await organizer.click("#return");
  await organizer.waitForURL(/done=1/);
  assert.equal((await organizer.textContent("#state")).trim(), "возвращена на доработку");
  step("the organizer returned it with a remark");

  [, link] = await links(2);
  await parent.goto(`${base}${link}`);
  assert.match(await parent.textContent("#remark"), /полное название школы/);
  await parent.fill("#f-school", "КГУ «Школа-гимназия №12»");
  await parent.check("#f-consent");
  await parent.click("#send");
  await parent.waitForSelector("#form-message");
  assert.equal((await parent.textContent("#state")).trim(), "на рассмотрении");
  step("the parent corrected it");

  await organizer.reload();
  await organizer.click("#accept");
  await organizer.waitForURL(/done=1/);
  await parent.goto(`${base}${link}`);
  assert.equal((await parent.textContent("#state")).trim(), "принята");
  step("accepted, and the parent sees it");

  // A judge seated by the organizer reads the work.
  await organizer.goto(`${base}/app/competitions/${competition}`);
  await organizer.fill("#judge-org", "Гороно").catch(() => {});
  await organizer.click("form[action$='/judges'] button");
  const judge = await newPage(1100, 800);
  await signIn(judge, "expert@dvorets.kz");
  await judge.goto(`${base}/app/jury`);
  await judge.click("main a[href^='/app/jury/']");
  const href = await judge.getAttribute("a.work", "href");
  const status = await judge.evaluate(async (url) => (await fetch(url)).status, href);
  assert.equal(status, 200);
  step("the judge opened the uploaded work");

  // Issued and published by the organizer.
  await organizer.goto(`${base}/app/competitions/${competition}`);
  await organizer.click("form[action$='/issue'] button");
  await organizer.waitForURL(/\/app\/jobs\//);
  for (let i = 0; (await organizer.getAttribute("#job", "data-state")) !== "done"; i++) {
    assert.notEqual(await organizer.getAttribute("#job", "data-state"), "failed");
    assert.ok(i < 1200, "issuing took too long");
    await organizer.waitForTimeout(100);
  }
  await organizer.goto(`${base}/app/competitions/${competition}/call`);
  await organizer.check("#c-results");
  await organizer.click("#call-save");
  await organizer.waitForSelector("#saved");
  step("issued and the results published");

  await parent.goto(`${base}${link}`);
  const paper = await parent.getAttribute("#papers a[download]", "href");
  const pdf = await parent.evaluate(async (url) => {
    const r = await fetch(url);
    const head = new Uint8Array(await r.arrayBuffer()).slice(0, 4);
    return { status: r.status, head: String.fromCharCode(...head) };
  }, paper);
  assert.deepEqual(pdf, { status: 200, head: "%PDF" });
  await shot(parent, "cabinet");
  step("the parent downloaded the diploma from the cabinet");

  await parent.goto(`${base}/c/${competition}`);
  await parent.click("#results");
  await parent.fill("#surname", "Сейтқали");
  await parent.click("form.search button");
  await parent.waitForSelector("table.list tbody tr");
  assert.match(await parent.textContent("table.list tbody"), /Ансамбль «Шаттық»/);
  await fits(parent);
  await shot(parent, "results");
  step("found on the public results by a member's surname");
  console.log("portal run done");
} finally {
  await browser.close();
}
