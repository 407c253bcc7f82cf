// Shared helpers for the browser tests: the Chromium launch, JupyterLab page
// actions (open, type into a cell, run it, wait for it) and screenshots.
//
// Everything here acts through the page as a person would: clicks, key
// presses and reading the rendered DOM. Nothing talks to the Jupyter server's
// REST API or to the kernel directly.
import { chromium } from 'playwright-core';
import fs from 'node:fs';
import path from 'node:path';

/** Settings handed over by run.sh through the environment. */
export const env = {
  url: must('GOLIT_E2E_URL'),
  token: must('GOLIT_E2E_TOKEN'),
  work: must('GOLIT_E2E_WORK'),
  root: must('GOLIT_E2E_ROOT'),
  artifacts: must('GOLIT_E2E_ARTIFACTS'),
  chromium: process.env.GOLIT_E2E_CHROMIUM || '/usr/bin/chromium',
  kernel: process.env.GOLIT_E2E_KERNEL || 'golit',
  profile: must('GOLIT_E2E_PROFILE'),
};

function must(name) {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set: run the tests with bash e2e/run.sh`);
  return v;
}

/** The launch flags the project uses for headless Chromium. */
export const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * Starts Chromium with a fresh profile directory under `name` and returns the
 * persistent context (its first page is context.pages()[0]).
 */
export async function launch(name) {
  shotPrefix = name;
  const dir = `${env.profile}-${name}`;
  fs.rmSync(dir, { recursive: true, force: true });
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: env.chromium,
    headless: true,
    args: chromiumArgs,
    viewport: { width: 1400, height: 1000 },
    timeout: 60_000,
  });
  context.setDefaultTimeout(30_000);
  return context;
}

let shotNo = 0;
let shotPrefix = 'e2e';

/** Saves a screenshot as artifacts/PREFIX-NN-name.png (PREFIX: launch's name) and returns its path. */
export async function screenshot(page, name) {
  shotNo += 1;
  const file = path.join(env.artifacts, `${shotPrefix}-${String(shotNo).padStart(2, '0')}-${name.replace(/[^\w.-]+/g, '-')}.png`);
  try {
    await page.screenshot({ path: file, fullPage: false, timeout: 10_000 });
  } catch (err) {
    console.log(`# screenshot ${file} failed: ${err.message}`);
  }
  return file;
}

/** Sleeps ms milliseconds. */
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Polls fn until it returns a truthy value or timeout ms pass; throws msg() on timeout. */
export async function until(fn, timeout, msg) {
  const end = Date.now() + timeout;
  let last;
  for (;;) {
    last = await fn();
    if (last) return last;
    if (Date.now() > end) throw new Error(typeof msg === 'function' ? await msg() : msg);
    await sleep(100);
  }
}

/** Opens JupyterLab with the token and waits for the launcher. */
export async function openLab(page) {
  await page.goto(`${env.url}/lab?token=${env.token}`, { waitUntil: 'domcontentloaded', timeout: 60_000 });
  await page.locator('.jp-LauncherCard').first().waitFor({ timeout: 90_000 });
}

/** The notebook panel in the current main-area tab. */
export function panel(page) {
  return page.locator('.jp-NotebookPanel:not(.lm-mod-hidden)');
}

/** All cells of the visible notebook. */
export function cells(page) {
  return panel(page).locator('.jp-Notebook .jp-Cell');
}

/** The kernel's display name shown in the notebook toolbar. */
export async function kernelName(page) {
  const t = await panel(page).locator('.jp-KernelName, [data-jp-item-name="kernelName"]').first().innerText();
  return t.trim();
}

/** Waits until the visible notebook's kernel reports idle. */
export async function waitKernelIdle(page, timeout = 60_000) {
  await until(async () => {
    const st = await panel(page).locator('.jp-Notebook-ExecutionIndicator').first().getAttribute('data-status').catch(() => null);
    return st === 'idle';
  }, timeout, async () => `kernel not idle after ${timeout} ms (status ${await panel(page).locator('.jp-Notebook-ExecutionIndicator').first().getAttribute('data-status').catch(() => '?')})`);
}

/** The text of a cell's input prompt, e.g. "[3]:", "[*]:" or "[ ]:". */
export async function prompt(cell) {
  return ((await cell.locator('.jp-InputArea-prompt').first().textContent()) || '').trim();
}

/** Whether the cell's prompt shows an execution count. */
export async function executed(cell) {
  return /^\[\d+\]:?$/.test(await prompt(cell));
}

/** Waits until a cell has finished running (its prompt shows a number). */
export async function waitCellDone(cell, timeout = 60_000) {
  await until(() => executed(cell), timeout, async () => `cell did not finish in ${timeout} ms (prompt ${await prompt(cell)})`);
}

/**
 * Puts code into the last cell of the visible notebook (adding a fresh cell
 * if the last one is not empty) and returns that cell's locator.
 */
export async function typeInNewCell(page, code) {
  const all = cells(page);
  let n = await all.count();
  let cell = all.nth(n - 1);
  const text = await cell.locator('.cm-content').innerText();
  if (text.trim() !== '') {
    await cell.locator('.jp-InputArea-editor').click();
    await page.keyboard.press('Escape');
    await page.keyboard.press('b');
    await until(async () => (await all.count()) === n + 1, 5_000, 'no new cell after pressing b');
    n += 1;
    cell = all.nth(n - 1);
  }
  await cell.locator('.cm-content').click();
  await page.keyboard.press('Control+a');
  await page.keyboard.press('Delete');
  // insertText sends the text as one input, so the editor adds no indentation or brackets.
  await page.keyboard.insertText(code);
  return cell;
}

/** Types code into a fresh cell, runs it with Ctrl+Enter and returns the cell. */
export async function runNewCell(page, code, { wait = true, timeout = 60_000 } = {}) {
  const cell = await typeInNewCell(page, code);
  await page.keyboard.press('Control+Enter');
  if (wait) await waitCellDone(cell, timeout);
  return cell;
}

/** Text of every output of a cell, joined. */
export async function outputText(cell) {
  const parts = await cell.locator('.jp-OutputArea-output').allInnerTexts();
  return parts.join('\n');
}

/** Clicks a main-menu entry, e.g. menu(page, 'Run', 'Run All Cells'). */
export async function menu(page, top, item) {
  await page.locator('#jp-menu-panel .lm-MenuBar-itemLabel', { hasText: new RegExp(`^${top}$`) }).click();
  const entry = page.locator('.lm-Menu:visible .lm-Menu-item:not(.lm-mod-disabled)', {
    has: page.locator('.lm-Menu-itemLabel', { hasText: new RegExp(`^${item.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`) }),
  }).first();
  await entry.click();
}

/** Accepts the open dialog by clicking its accept button. */
export async function acceptDialog(page) {
  const d = page.locator('.jp-Dialog');
  await d.waitFor();
  await d.locator('.jp-Dialog-button.jp-mod-accept').click();
  await d.waitFor({ state: 'detached' });
}

/** The text of the open dialog (e.g. a kernel picker), or '' when none is open. */
export async function dialogText(page) {
  const d = page.locator('.jp-Dialog');
  if ((await d.count()) === 0) return '';
  return (await d.innerText()).trim();
}

/**
 * Starts recording every change of a cell's outputs and prompt inside the
 * page (a MutationObserver), so that fast updates are seen however slowly
 * the test process polls. stopRecording returns the records.
 */
export async function startRecording(cell) {
  await cell.evaluate((el) => {
    const rec = [];
    const t0 = performance.now();
    const snap = () => {
      const outs = el.querySelectorAll('.jp-OutputArea-output');
      rec.push({
        t: Math.round(performance.now() - t0),
        n: outs.length,
        text: [...outs].map((o) => o.textContent).join('\n'),
        html: outs.length ? outs[0].innerHTML : '',
        prompt: (el.querySelector('.jp-InputArea-prompt')?.textContent || '').trim(),
      });
    };
    snap();
    const mo = new MutationObserver(snap);
    mo.observe(el, { subtree: true, childList: true, characterData: true });
    el.__e2eRec = rec;
    el.__e2eMo = mo;
  });
}

/** Stops a recording started by startRecording and returns its records. */
export async function stopRecording(cell) {
  return cell.evaluate((el) => {
    el.__e2eMo.disconnect();
    return el.__e2eRec;
  });
}
