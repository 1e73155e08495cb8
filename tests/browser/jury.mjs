// A jury-judged competition run end to end in a real headless Chromium, only by clicking in the
// pages: the organizer creates it, loads the participants, sets the criteria, invites two jury
// members (who make their accounts from the invitation link), seats them and names the second the
// chair; both score every entry in their own pages; the organizer sets the rules and downloads the
// protocol, the chair signs it off, the ranking becomes the awards, the papers are issued and
// e-mailed, one is revoked and another re-issued, and the public verification page tells which.
// Started by tests/api/webapp_jury.rs, which runs the service and a real SMTP server and checks
// what arrived there and what the database holds afterwards.
import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { chromium } from "playwright-core";

const base = process.env.BASE_URL;
const password = process.env.PASSWORD;
const shots = process.env.SCREENSHOTS;
const downloads = process.env.DOWNLOADS;
const entriesFile = process.env.ENTRIES_FILE;
// "holder:points,points" per entry, the same for both criteria; the judges differ by one point.
const scores = JSON.parse(process.env.SCORES);
mkdirSync(shots, { recursive: true });

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
});
const started = Date.now();
const step = (name) => console.log(`- ${name} (${((Date.now() - started) / 1000).toFixed(1)} s)`);

async function newPage() {
  const context = await browser.newContext({
    locale: "ru-RU",
    viewport: { width: 1100, height: 800 },
    acceptDownloads: true,
  });
  const page = await context.newPage();
  page.setDefaultTimeout(30000);
  return page;
}

async function signIn(page, email) {
  await page.goto(`${base}/app/login`);
  await page.fill("#email", email);
  await page.fill("#password", password);
  await page.click("main form button[type=submit]");
}

/** The file a link gives, fetched by the page with its own session, as following it would. */
async function follow(page, selector, file) {
  const href = await page.getAttribute(selector, "href");
  const reply = await page.evaluate(async (url) => {
    const r = await fetch(url);
    const bytes = new Uint8Array(await r.arrayBuffer());
    let binary = "";
    for (const b of bytes) binary += String.fromCharCode(b);
    return { status: r.status, type: r.headers.get("content-type"), body: btoa(binary) };
  }, href);
  assert.equal(reply.status, 200, `${href}`);
  const body = Buffer.from(reply.body, "base64");
  writeFileSync(join(downloads, file), body);
  return { type: reply.type, body };
}

async function download(page, selector, file) {
  const [dl] = await Promise.all([page.waitForEvent("download"), page.click(selector)]);
  const path = join(downloads, file);
  await dl.saveAs(path);
  return path;
}

try {
  // The organizer creates the competition and loads the participants, without awards.
  const organizer = await newPage();
  await signIn(organizer, process.env.ORGANIZER_EMAIL);
  await organizer.waitForURL(`${base}/app/competitions`);
  await organizer.click("text=Новый конкурс");
  await organizer.fill("#title", "Облыстық робототехника байқауы");
  await organizer.selectOption("#language", "ru");
  await organizer.click("main form button[type=submit]");
  await organizer.waitForURL(/\/app\/competitions\/[0-9a-f-]{36}$/);
  const competitionUrl = organizer.url();
  step("competition created");

  await organizer.setInputFiles("#file", entriesFile);
  await organizer.click("text=Проверить файл");
  await organizer.waitForSelector("#preview-table");
  await organizer.click("#import");
  await organizer.waitForURL(/done=imported/);
  const entries = Object.keys(scores).length;
  assert.equal(await organizer.textContent("#count-entries"), String(entries));
  step(`${entries} participants imported`);

  await organizer.fill("#criteria", "Идея; 10\nИсполнение; 10");
  await organizer.click("form[action$='/criteria'] button");
  await organizer.waitForURL(/done=criteria/);
  step("criteria set");

  // Two jury members invited in the people page; each makes an account from the link.
  const judges = [
    { email: "expert1@region.kz", name: "Жұмабеков Серік", org: "Облыстық білім басқармасы" },
    { email: "expert2@region.kz", name: "Ахметова Гүлнар", org: "Политехникалық колледж" },
  ];
  for (const judge of judges) {
    await organizer.goto(`${base}/app/people`);
    await organizer.fill("#invite-email", judge.email);
    await organizer.selectOption("#invite-role", "jury");
    await organizer.click("form[action='/app/people'] button[type=submit]");
    const link = new URL(await organizer.inputValue("#invite-link"));
    judge.page = await newPage();
    await judge.page.goto(`${base}${link.pathname}`);
    await judge.page.fill("#name", judge.name);
    await judge.page.fill("#password", password);
    await judge.page.fill("#password_again", password);
    await judge.page.click("main form button[type=submit]");
    await judge.page.waitForURL(/\/app\/login/);
    await signIn(judge.page, judge.email);
    await judge.page.waitForURL(`${base}/app/jury`);
  }
  step("two jury members invited; each made an account from the link and signed in");

  for (const judge of judges) {
    await organizer.goto(`${competitionUrl}#jury`);
    await organizer.selectOption("#judge-user", { label: `${judge.name} (${judge.email})` });
    await organizer.fill("#judge-org", judge.org);
    await organizer.click("form[action$='/judges'] button");
    await organizer.waitForURL(/done=judge/);
  }
  const protocolState = await organizer.textContent("#protocol-state");
  assert.match(protocolState, new RegExp(judges[0].name), "the first appointed chairs by default");
  await organizer.selectOption("#chair", { label: `${judges[1].name} · ${judges[1].org}` });
  await organizer.click("#chair-button");
  await organizer.waitForURL(/done=chair/);
  assert.match(await organizer.textContent("#protocol-state"), new RegExp(judges[1].name));
  await organizer.screenshot({ path: join(shots, "jury-01-panel.png"), fullPage: true });
  step(`both seated; ${judges[1].name} named the chair`);

  // Each judge scores every entry in their own page.
  for (const [i, judge] of judges.entries()) {
    const page = judge.page;
    await page.goto(`${base}/app/jury`);
    await page.click("ul.cards a");
    await page.waitForURL(/\/app\/jury\/[0-9a-f-]{36}$/);
    judge.url = page.url();
    assert.equal(await page.locator("#sign-off-button").count(), i === 1 ? 1 : 0, "only the chair signs");
    for (const [holder, points] of Object.entries(scores)) {
      // Each entry opens on its own page, the work beside the sheet.
      await page.goto(judge.url);
      await page.locator("li.entry h2 a", { hasText: holder }).click();
      await page.waitForURL(/\/entries\/[0-9a-f-]{36}/);
      const inputs = page.locator("#sheet input[inputmode=decimal]");
      assert.equal(await inputs.count(), 2);
      for (let c = 0; c < 2; c++) await inputs.nth(c).fill(String(points[i]));
      await page.click("#save");
      await page.waitForURL(/saved=1/);
    }
    await page.goto(judge.url);
    assert.equal(await page.textContent("#scored-count"), String(entries));
  }
  await judges[0].page.screenshot({ path: join(shots, "jury-02-scored.png"), fullPage: true });
  step("both judges scored every entry in their pages");

  // The rules and the protocol.
  await organizer.goto(`${competitionUrl}#jury`);
  await organizer.selectOption("#aggregation", "mean");
  await organizer.selectOption("#rule", "places");
  await organizer.fill("#grand_prix_percent", "");
  await organizer.fill("#laureates_to_place", "");
  await organizer.click("form[action$='/jury/rules'] button");
  await organizer.waitForURL(/done=rules/);
  const protocol = await follow(organizer, "#protocol-pdf", "protocol.pdf");
  assert.equal(protocol.type, "application/pdf");
  assert.equal(protocol.body.subarray(0, 4).toString(), "%PDF");
  await download(organizer, "#protocol-xlsx", "protocol.xlsx");
  step(`rules set; protocol downloaded (PDF ${protocol.body.length} bytes, XLSX)`);

  // Only the chair signs off, in the chair's own page.
  const chair = judges[1].page;
  await chair.goto(judges[1].url);
  await chair.click("#sign-off-button");
  await chair.waitForURL(/#sign-off$/);
  assert.match(await chair.textContent("#signed"), new RegExp(judges[1].name));
  await judges[0].page.goto(judges[0].url);
  assert.match(await judges[0].page.textContent("#signed"), new RegExp(judges[1].name));
  step("the chair signed the protocol off");

  await organizer.goto(`${competitionUrl}#jury`);
  assert.match(await organizer.textContent("#protocol-state"), new RegExp(judges[1].name));
  assert.equal(await organizer.locator("#chair-form").count(), 0, "no chair to change after the sign-off");
  await organizer.click("#apply-results");
  await organizer.waitForURL(/done=jury_applied&n=\d+/);
  assert.match(organizer.url(), new RegExp(`n=${entries}`));
  step("the ranking applied as awards");

  // Issue, then e-mail.
  await organizer.click("form[action$='/issue'] button");
  await organizer.waitForURL(/\/app\/jobs\//);
  for (let i = 0; (await organizer.getAttribute("#job", "data-state")) !== "done"; i++) {
    assert.notEqual(await organizer.getAttribute("#job", "data-state"), "failed");
    assert.ok(i < 1200, "issuing took too long");
    await organizer.waitForTimeout(100);
  }
  await organizer.goto(competitionUrl);
  assert.equal(await organizer.textContent("#count-documents"), String(entries));
  step(`${entries} papers issued`);

  await organizer.click("#send-mail");
  await organizer.waitForURL(/\/deliveries\?done=queued&n=\d+/);
  const queued = Number(new URL(organizer.url()).searchParams.get("n"));
  assert.ok(queued >= entries, `${queued} messages queued`);
  for (let i = 0; Number(await organizer.textContent("#sum-sent")) !== queued; i++) {
    assert.ok(i < 150, "the messages were not sent");
    await organizer.waitForTimeout(200);
    await organizer.reload();
  }
  step(`${queued} messages sent`);

  // One paper revoked, another re-issued with the name corrected.
  const [revokedHolder, reissuedHolder] = Object.keys(scores).slice(-2);
  await organizer.goto(`${competitionUrl}/documents`);
  const revoked = organizer.locator("li.doc", { has: organizer.locator("h2", { hasText: revokedHolder }) });
  const revokedVerify = await revoked.locator("a[href*='/v/']").getAttribute("href");
  await revoked.locator("summary").click();
  await revoked.locator("input[name=reason]").fill("Работа выполнена не самостоятельно");
  await revoked.locator("form[action$='/revoke'] button").click();
  await organizer.waitForURL(/\/documents\?q=/);
  assert.equal(await organizer.locator("li.doc").count(), 1);
  assert.equal(await organizer.locator("li.doc .badge.revoked").count(), 1);
  step(`${revokedHolder}'s paper revoked`);

  await organizer.goto(`${competitionUrl}/documents`);
  const old = organizer.locator("li.doc", { has: organizer.locator("h2", { hasText: reissuedHolder }) });
  const oldVerify = await old.locator("a[href*='/v/']").getAttribute("href");
  await old.locator("summary").click();
  await old.locator("input[name=holder]").fill(`${reissuedHolder} Асқарұлы`);
  await old.locator("form[action$='/reissue'] button").click();
  await organizer.waitForURL(/\/documents\?q=/);
  await organizer.goto(`${competitionUrl}/documents`);
  assert.equal(await organizer.locator("li.doc").count(), entries + 1);
  const fresh = organizer.locator("li.doc", { has: organizer.locator("h2", { hasText: `${reissuedHolder} Асқарұлы` }) });
  assert.equal(await fresh.locator(".badge.valid").count(), 1);
  await organizer.screenshot({ path: join(shots, "jury-03-documents.png"), fullPage: true });
  step(`${reissuedHolder}'s paper re-issued as ${reissuedHolder} Асқарұлы`);

  // The public sees which is which (the links name the public address; this service runs here).
  const visitor = await newPage();
  await visitor.goto(`${base}${new URL(revokedVerify, base).pathname}`);
  assert.match(await visitor.textContent("main"), /Документ отозван/);
  await visitor.goto(`${base}${new URL(oldVerify, base).pathname}`);
  assert.match(await visitor.textContent("main"), /Документ заменён/);
  step("the verification pages say revoked and superseded");
  console.log("jury run done");
} finally {
  await browser.close();
}
