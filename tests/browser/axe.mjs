// Every page of the web application, as the public, a judge, an organizer and an admin see it, in
// kk, ru and en, checked with axe-core in a real headless Chromium: no serious or critical
// violation, the page's lang attribute is the language asked for, and the page fits a 360 px
// phone without sideways scrolling. Started by tests/api/webapp_axe.rs, which makes the data the
// pages show (a competition with issued papers, a jury, an own design) and passes it in env.
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { chromium } from "playwright-core";

const require = createRequire(import.meta.url);
const axePath = require.resolve("axe-core");
const base = process.env.BASE_URL;
const password = process.env.PASSWORD;
const competition = process.env.COMPETITION;
const languages = (process.env.LANGUAGES || "kk,ru,en").split(",");
// Only the paths whose address contains this, when set: for running one page while fixing it.
const only = process.env.ONLY || "";

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
});

async function newPage() {
  // The pages' CSP allows only their own scripts: axe-core is let in past it, nothing else changes.
  const context = await browser.newContext({
    locale: "ru-RU",
    viewport: { width: 360, height: 740 },
    bypassCSP: true,
  });
  const page = await context.newPage();
  page.setDefaultTimeout(30000);
  return page;
}

async function signIn(page, email) {
  await page.goto(`${base}/app/login`);
  await page.fill("#email", email);
  await page.fill("#password", password);
  await Promise.all([page.waitForNavigation(), page.click("main form button[type=submit]")]);
  assert.ok(!page.url().includes("/app/login"), `${email} signed in`);
}

/** The path of the first link matching `selector` on `path`, for pages whose ids a list gives. */
async function firstLink(page, path, selector) {
  await page.goto(`${base}${path}`);
  const href = await page.getAttribute(selector, "href");
  assert.ok(href, `${selector} on ${path}`);
  return new URL(href, base).pathname;
}

const problems = [];
let checked = 0;

/** Opens `path` in `lang` and checks it; `status` is the answer expected, `pageLang` the page's
 * language when it has only one. */
async function check(page, who, path, lang, status = 200, pageLang = lang) {
  const url = `${base}${path}${path.includes("?") ? "&" : "?"}lang=${lang}`;
  const where = `${who} ${path} [${lang}]`;
  let reply;
  try {
    reply = await page.goto(url);
  } catch (e) {
    problems.push(`${where}: ${e.message.split("\n")[0]}`);
    return;
  }
  if (reply.status() !== status) {
    problems.push(`${where}: answered ${reply.status()}, expected ${status}`);
    return;
  }
  // Scripts that fill a page in (the design editor, the preview) have their moment.
  await page.waitForLoadState("networkidle");
  const htmlLang = await page.getAttribute("html", "lang");
  if (htmlLang !== pageLang) problems.push(`${where}: <html lang="${htmlLang}">`);
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  if (width > 360) {
    const wide = await page.evaluate(() =>
      [...document.querySelectorAll("body *")]
        .filter((e) => e.getBoundingClientRect().right > 361)
        .slice(0, 3)
        .map((e) => `${e.tagName.toLowerCase()}${e.id ? "#" + e.id : ""}${e.className && typeof e.className === "string" ? "." + e.className.split(" ").join(".") : ""}`)
    );
    problems.push(`${where}: ${width} px wide at 360 px (${wide.join(", ")})`);
  }
  await page.addScriptTag({ path: axePath });
  const result = await page.evaluate(async () => {
    // Everything axe-core checks by default, WCAG 2.1 A and AA and its best practices.
    const r = await window.axe.run(document, { resultTypes: ["violations"] });
    return r.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.slice(0, 3).map((n) => `${n.target.join(" ")}: ${n.failureSummary.split("\n").slice(1, 2).join("")}`),
    }));
  });
  for (const v of result.filter((v) => v.impact === "serious" || v.impact === "critical")) {
    problems.push(`${where}: ${v.impact} ${v.id} (${v.help})\n    ${v.nodes.join("\n    ")}`);
  }
  checked++;
}

try {
  const c = `/app/competitions/${competition}`;
  const pages = {
    public: [
      "/app/login",
      "/app/forgot",
      ["/app/reset/no-such-link", 410],
      ["/app/setup/no-such-link", 410],
      `/app/invite/${process.env.INVITE_TOKEN}`,
      "/find",
      `/find?code=${process.env.VERIFY_CODE}&surname=${encodeURIComponent(process.env.VERIFY_SURNAME)}`,
      `/v/${process.env.VERIFY_CODE}`,
      `/v/${process.env.REVOKED_CODE}`,
      ["/v/NOSUCHCODE", 404],
      "/v/",
      "/o/dvorets-test",
      `/c/${competition}`,
      `/c/${competition}/apply`,
      `/c/${competition}/results`,
      // The API reference for developers, in English only (RapiDoc's own page).
      ["/api/docs", 200, "en"],
    ],
    judge: [],
    organizer: [
      "/app/competitions",
      "/app/competitions?archived=true",
      "/app/competitions/new",
      c,
      `${c}/edit`,
      `${c}/documents`,
      `${c}/bundles`,
      `${c}/deliveries`,
      `${c}/papers`,
      `/app/competitions/${process.env.WEBINAR}/papers`,
      `${c}/stages`,
      `/app/competitions/${process.env.WEBINAR}/stages`,
      `/app/stage-invite/${process.env.STAGE_INVITE_TOKEN}`,
      `/app/jobs/${process.env.JOB}`,
      "/app/designs",
      `/app/designs/${process.env.DESIGN}`,
      `/app/designs/${process.env.DESIGN}/edit`,
      "/app/persons",
      "/app/reports",
      "/app/people",
      "/app/tokens",
      "/app/password",
      `${c}/call`,
      `${c}/applications`,
      `/app/applications/${process.env.APPLICATION}`,
    ],
    admin: ["/app/organization", "/app/audit", "/app/people", "/app/competitions"],
    // The page a wrong address gets.
    nobody: [["/app/competitions/00000000-0000-0000-0000-000000000000", 404]],
  };

  const visitor = await newPage();
  const judge = await newPage();
  await signIn(judge, process.env.JUDGE_EMAIL);
  const seat = await firstLink(judge, "/app/jury", "ul.cards a");
  // The seat's list, and one entry with its work and sheet (a blind review: numbers, not names).
  pages.judge.push("/app/jury", seat, await firstLink(judge, seat, "li.entry h2 a"));
  pages.organizer.push(`${c}/review`);
  const organizer = await newPage();
  await signIn(organizer, process.env.ORGANIZER_EMAIL);
  pages.organizer.push(await firstLink(organizer, "/app/persons", "main a[href^='/app/persons/']"));
  // The upload preview: a file chosen and read in the competition page.
  await organizer.goto(`${base}${c}`);
  await organizer.setInputFiles("#file", process.env.RESULTS_FILE);
  await Promise.all([organizer.waitForNavigation(), organizer.click("form[action$='/upload'] button[type=submit]")]);
  await organizer.waitForSelector("#preview-table");
  const upload = await organizer.inputValue("#import-form input[name=upload]");
  pages.organizer.push(`${c}/uploads/${upload}`);
  const admin = await newPage();
  await signIn(admin, process.env.ADMIN_EMAIL);

  const who = { public: visitor, judge, organizer, admin, nobody: organizer };
  for (const lang of languages) {
    for (const [role, paths] of Object.entries(pages)) {
      for (const entry of paths) {
        const [path, status, pageLang] = Array.isArray(entry) ? entry : [entry, 200];
        if (path.includes(only)) await check(who[role], role, path, lang, status, pageLang ?? lang);
      }
    }
  }
  const per = Object.values(pages).reduce((n, p) => n + p.length, 0);
  console.log(`${checked} page views checked (${per} pages × ${languages.join("/")})`);
  if (problems.length) {
    console.log(problems.join("\n"));
    process.exitCode = 1;
  } else {
    console.log("no serious or critical violation; every page fits 360 px");
  }
} finally {
  await browser.close();
}
