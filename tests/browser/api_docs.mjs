// /api/docs in a real headless Chromium: the vendored viewer loads from the service itself (no
// CDN), under the page's CSP, and lists the API's operations from /api/v1/openapi.json.
// Started by tests/api/api_description.rs.
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
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  page.setDefaultTimeout(30000);
  const problems = [];
  page.on("console", (m) => m.type() === "error" && problems.push(m.text()));
  page.on("pageerror", (e) => problems.push(e.message));
  const elsewhere = [];
  page.on("request", (r) => !r.url().startsWith(base) && !r.url().startsWith("data:") && elsewhere.push(r.url()));

  await page.goto(`${base}/api/docs`);
  await page.waitForFunction(() => {
    const root = document.querySelector("rapi-doc")?.shadowRoot;
    return root && root.textContent.includes("/api/v1/competitions") && root.textContent.includes("/api/v1/organization/pictures/{role}");
  });
  await page.screenshot({ path: join(shots, "40-api-docs.png") });
  assert.deepEqual(elsewhere, [], "nothing is fetched from another origin");
  assert.deepEqual(problems.filter((p) => /Content Security Policy|Refused/i.test(p)), [], "the CSP lets the viewer work");
  console.log("- /api/docs lists the operations, from this origin only");
} finally {
  await browser.close();
}
