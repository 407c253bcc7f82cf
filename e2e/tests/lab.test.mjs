// Browser tests of golit in JupyterLab: what an attendee sees and does.
//
// The tests share one Chromium page and run in order: the launcher, the first
// workshop notebook, then a scratch notebook created from the launcher in
// which each test types and runs its own cells.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {
  env, launch, screenshot, sleep, until, openLab, panel, kernelName, waitKernelIdle,
  prompt, executed, waitCellDone, typeInNewCell, runNewCell, outputText, menu, acceptDialog, dialogText,
  startRecording, stopRecording,
} from './lib.mjs';
import { snippetsFor } from './snippets.mjs';
import { progressCode } from './progress.mjs';

const S = snippetsFor(env.kernel);
let context;
let page;
const consoleLog = [];

before(async () => {
  context = await launch('lab');
  page = context.pages()[0] || (await context.newPage());
  page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') consoleLog.push(`[${m.type()}] ${m.text()}`); });
  page.on('pageerror', (e) => consoleLog.push(`[pageerror] ${e.message}`));
  await openLab(page);
});

after(async () => {
  fs.writeFileSync(path.join(env.artifacts, 'browser-console.log'), consoleLog.join('\n') + '\n');
  await context?.close();
});

/** test() that saves a screenshot named after the test whatever the outcome. */
function check(name, fn, timeout = 60_000) {
  test(name, { timeout }, async (t) => {
    try {
      await fn(t);
    } finally {
      if (page) await screenshot(page, name);
    }
  });
}

/** Logs a line into the test report. */
function note(t, msg) {
  t.diagnostic(msg);
}

check('launcher shows the golit kernel with its logo', async (t) => {
  await page.locator('.lm-TabBar-tab', { hasText: 'Launcher' }).first().click().catch(() => {});
  const card = page.locator(`.jp-LauncherCard[data-category="Notebook"][title="${S.displayName}"]`);
  await card.waitFor({ timeout: 20_000 }).catch(async () => {
    const titles = await page.locator('.jp-LauncherCard[data-category="Notebook"]').evaluateAll((els) => els.map((e) => e.title));
    throw new Error(`no Notebook launcher card "${S.displayName}"; cards: ${JSON.stringify(titles)}`);
  });
  assert.equal((await card.locator('.jp-LauncherCard-label').innerText()).trim(), S.displayName);
  const img = card.locator('img');
  assert.equal(await img.count(), 1, 'the card has no <img> logo (JupyterLab shows a letter when the kernelspec has no logo)');
  const src = await img.getAttribute('src');
  assert.match(src, new RegExp(`/kernelspecs/${env.kernel}/logo-(svg\\.svg|64x64\\.png|32x32\\.png)$`), `logo src ${src}`);
  // The image really loaded in the page, with a size.
  await until(() => img.evaluate((el) => el.complete), 10_000, 'logo image never completed loading');
  const size = await img.evaluate((el) => ({ w: el.naturalWidth, h: el.naturalHeight, cw: el.clientWidth }));
  assert.ok(size.w > 0 && size.h > 0, `logo did not decode: ${JSON.stringify(size)}`);
  assert.ok(size.cw > 0, 'logo is not displayed');
  // The browser fetches the same resource from the server as an image.
  const res = await page.request.get(new URL(src, env.url).href, { headers: { Authorization: `token ${env.token}` } });
  assert.equal(res.status(), 200, `GET ${src}`);
  assert.match(res.headers()['content-type'] || '', /^image\//, 'logo content type');
  // It is golit's own logo from kernelspec/, not some other image.
  const repoLogo = path.join(env.root, 'kernelspec', path.basename(new URL(src, env.url).pathname));
  if (env.kernel === 'golit') {
    assert.ok(fs.existsSync(repoLogo), `${repoLogo} is not in the repo`);
    assert.ok(Buffer.compare(await res.body(), fs.readFileSync(repoLogo)) === 0, `the served logo differs from kernelspec/${path.basename(repoLogo)}`);
  }
  note(t, `logo ${src} ${size.w}x${size.h}`);
});

check('the first workshop notebook opens on golit and Run All gives no error output', async (t) => {
  const dir = path.join(env.root, 'notebooks');
  const first = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => /^01.*\.ipynb$/.test(f)).sort()[0] : undefined;
  if (!first) {
    t.skip('SKIPPED: no notebooks/01*.ipynb in the repo yet, so there is no first workshop notebook to open');
    return;
  }
  note(t, `notebook: notebooks/${first}`);
  // Open it through the file browser: the folder, then the notebook.
  await page.locator('.jp-SideBar [data-id="filebrowser"], .jp-SideBar li[title*="File Browser"]').first().click().catch(() => {});
  const browser = page.locator('#filebrowser');
  await browser.waitFor({ state: 'visible' }).catch(async () => {
    await page.keyboard.press('Control+Shift+f');
    await browser.waitFor({ state: 'visible' });
  });
  const item = (name) => browser.locator('.jp-DirListing-item').filter({ has: page.locator('.jp-DirListing-itemText', { hasText: new RegExp(`^${name.replace(/[.]/g, '\\.')}$`) }) }).first();
  await item('notebooks').dblclick();
  await item(first).dblclick();
  await panel(page).waitFor({ timeout: 30_000 });
  await until(async () => (await panel(page).locator('.jp-Notebook .jp-Cell').count()) > 0, 30_000, 'notebook shows no cells');
  // No kernel-selection dialog: the notebook names the golit kernelspec.
  await sleep(1000);
  const dlg = await dialogText(page);
  assert.equal(dlg, '', `a dialog opened instead of the golit kernel: ${dlg}`);
  await until(async () => (await kernelName(page).catch(() => '')) === S.displayName, 30_000,
    async () => `toolbar kernel is "${await kernelName(page).catch(() => '?')}", want "${S.displayName}"`);
  await waitKernelIdle(page, 60_000);

  // Start from a clean slate, so that every execution count seen afterwards comes from this run.
  await menu(page, 'Edit', 'Clear Outputs of All Cells');
  const code = panel(page).locator('.jp-Notebook .jp-CodeCell');
  const n = await code.count();
  assert.ok(n > 0, 'the workshop notebook has no code cells');
  await until(async () => (await code.locator('.jp-InputArea-prompt').allTextContents()).every((p) => !/\d/.test(p)), 10_000,
    'execution counts remain after Clear Outputs of All Cells');
  const started = Date.now();
  await menu(page, 'Run', 'Run All Cells');
  // Done when every code cell has an execution count and the kernel is idle,
  // or when nothing is running or queued any more (some cells never ran).
  let quiet = 0;
  await until(async () => {
    const prompts = await code.locator('.jp-InputArea-prompt').allTextContents();
    const st = await panel(page).locator('.jp-Notebook-ExecutionIndicator').first().getAttribute('data-status');
    if (st === 'idle' && prompts.every((p) => /\[\d+\]/.test(p))) return true;
    quiet = st === 'idle' && !prompts.some((p) => /\[\*\]/.test(p)) ? quiet + 1 : 0;
    return quiet >= 20; // about two seconds with nothing running
  }, 240_000, async () => `Run All did not finish in 240 s: prompts ${JSON.stringify(await code.locator('.jp-InputArea-prompt').allTextContents())}`);
  const prompts = await code.locator('.jp-InputArea-prompt').allTextContents();
  const stderrNow = await panel(page).locator('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]').allInnerTexts();
  const notRun = prompts.map((p, i) => (/\[\d+\]/.test(p) ? null : i + 1)).filter((x) => x !== null);
  assert.deepEqual(notRun, [], `code cells (by position) that Run All did not execute: ${notRun.join(', ')}; error output: ${stderrNow.join('\n---\n').slice(0, 2000)}`);
  note(t, `Run All: ${n} code cells in ${((Date.now() - started) / 1000).toFixed(1)} s`);

  // Error output: tracebacks and stderr render with the stderr MIME type.
  const stderr = await panel(page).locator('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]').allInnerTexts();
  const bad = stderr.filter((s) => /error|panic|fatal|undefined|cannot|exception|traceback|interrupt/i.test(s));
  assert.deepEqual(bad, [], `error output after Run All:\n${bad.join('\n---\n').slice(0, 3000)}`);
  if (stderr.length) note(t, `stderr outputs without errors: ${stderr.length}`);
  const ename = await panel(page).locator('.jp-RenderedText[data-mime-type="application/vnd.jupyter.error"], .jp-OutputArea-output .ename').count();
  assert.equal(ename, 0, 'an error output (ename) is shown');

  // Save through the UI and read the saved file: no output of type "error".
  await page.keyboard.press('Escape');
  await page.keyboard.press('Control+s');
  const saved = path.join(env.work, 'notebooks', first);
  const errs = await until(() => {
    const nb = JSON.parse(fs.readFileSync(saved, 'utf8'));
    const codeCells = nb.cells.filter((c) => c.cell_type === 'code');
    if (!codeCells.every((c) => c.execution_count != null)) return null; // not saved yet
    return { list: codeCells.flatMap((c) => c.outputs.filter((o) => o.output_type === 'error').map((o) => `${o.ename}: ${o.evalue}`)) };
  }, 20_000, 'the saved notebook never showed the executed cells (Ctrl+S did not save?)');
  assert.deepEqual(errs.list, [], 'the saved notebook holds error outputs');

  // Go keywords in the workshop's own cells are highlighted.
  const hl = await keywordHighlight(panel(page), S.keywords[0]);
  if (hl.found) assert.ok(hl.highlighted, `"${S.keywords[0]}" in the workshop notebook is not highlighted: ${JSON.stringify(hl)}`);
}, 300_000);

/**
 * Finds a token span whose text is word inside a CodeMirror line and reports
 * whether it is styled apart from the line's plain text.
 */
async function keywordHighlight(scope, word) {
  return scope.evaluate((root, w) => {
    const spans = [...root.querySelectorAll('.jp-Cell .cm-line span')].filter((s) => s.textContent === w);
    if (!spans.length) return { found: false };
    const s = spans[0];
    const line = s.closest('.cm-line');
    const tok = getComputedStyle(s).color;
    const plain = getComputedStyle(line).color;
    const kw = getComputedStyle(document.body).getPropertyValue('--jp-mirror-editor-keyword-color').trim();
    return { found: true, className: s.className, color: tok, lineColor: plain, keywordVar: kw, highlighted: !!s.className && tok !== plain };
  }, word);
}

let scratchTab = null; // the tab title of the notebook the following tests type into

/** Opens a new notebook from the launcher's golit card (once) and makes it the current tab. */
async function useScratch() {
  if (scratchTab) {
    await page.locator('#jp-main-dock-panel .lm-TabBar-tab', { hasText: scratchTab }).first().click();
    await until(async () => (await panel(page).count()) === 1, 10_000, `no notebook panel after selecting ${scratchTab}`);
    return;
  }
  if (!(await page.locator('.jp-Launcher:visible').count())) {
    const tab = page.locator('#jp-main-dock-panel .lm-TabBar-tab', { hasText: 'Launcher' });
    if (await tab.count()) await tab.first().click();
    else await menu(page, 'File', 'New Launcher');
  }
  await page.locator(`.jp-Launcher:visible .jp-LauncherCard[data-category="Notebook"][title="${S.displayName}"]`).click();
  await until(async () => (await panel(page).count()) === 1 && (await kernelName(page).catch(() => '')) === S.displayName, 30_000,
    'the new notebook did not start on the golit kernel');
  scratchTab = (await page.locator('#jp-main-dock-panel .lm-TabBar-tab.lm-mod-current .lm-TabBar-tabLabel').first().innerText()).trim();
  await waitKernelIdle(page, 60_000);
  const c1 = await runNewCell(page, S.setup);
  assert.ok(await executed(c1));
  assert.equal(await outputText(c1), '', 'the import cell printed something (an error?)');
  const c2 = await runNewCell(page, S.setupCheck);
  const out = await outputText(c2);
  assert.match(out, S.setupWant, `setup output: ${out}`);
}

check('a new notebook from the launcher runs golit cells', async (t) => {
  await useScratch();
  t.diagnostic(`scratch notebook: ${scratchTab}`);
});

check('Go source is syntax-highlighted', async () => {
  await useScratch();
  const cell = await runNewCell(page, S.highlight);
  for (const w of S.keywords) {
    const hl = await keywordHighlight(cell, w);
    assert.ok(hl.found, `no token span for "${w}" in the editor (the whole line is plain text: no Go mode)`);
    assert.ok(hl.highlighted, `"${w}" is not highlighted: ${JSON.stringify(hl)}`);
  }
  // An identifier is styled differently from the keyword.
  const diff = await cell.evaluate((root, kw) => {
    const spans = [...root.querySelectorAll('.cm-line span')];
    const k = spans.find((s) => s.textContent === kw);
    const line = k.closest('.cm-line');
    return getComputedStyle(k).color !== getComputedStyle(line).color;
  }, S.keywords[0]);
  assert.ok(diff);
});

check('goroutine output appears while the cell runs', async (t) => {
  await useScratch();
  const cell = await typeInNewCell(page, S.live);
  await startRecording(cell);
  await page.keyboard.press('Control+Enter');
  await until(async () => /\[\*\]/.test(await prompt(cell)), 10_000, 'the cell never started running');
  await waitCellDone(cell, 20_000);
  const rec = await stopRecording(cell);
  const final = await outputText(cell);
  assert.deepEqual(final.match(/live line \d/g), ['live line 1', 'live line 2', 'live line 3', 'live line 4', 'live line 5'], `final output: ${final}`);
  const lines = (r) => (r.text.match(/live line \d/g) || []).length;
  const running = rec.filter((r) => /\[\*\]/.test(r.prompt));
  const partial = new Set(running.map(lines).filter((k) => k > 0 && k < 5));
  const firstSeen = (k) => rec.find((r) => lines(r) >= k)?.t;
  t.diagnostic(`lines first seen at ms: ${[1, 2, 3, 4, 5].map(firstSeen).join(', ')}; partial counts seen while running: ${[...partial].join(',')}`);
  assert.ok(partial.size >= 3, `only ${partial.size} partial outputs were shown while the cell ran (output arrived at the end?)`);
  assert.ok(firstSeen(5) - firstSeen(1) >= 1000, 'the lines did not arrive spread over the run');
}, 60_000);

check('a progress bar updates in place', async (t) => {
  await useScratch();
  const code = S.progress ? { source: S.progress, maxOutputs: 1, finalWant: /100%/ } : progressCode(env.root);
  if (!code) {
    t.skip('SKIPPED: the display package has no progress bar API yet (display/*.go)');
    return;
  }
  const cell = await typeInNewCell(page, code.source);
  await startRecording(cell);
  await page.keyboard.press('Control+Enter');
  await until(async () => /\[\*\]/.test(await prompt(cell)), 10_000, 'the cell never started running');
  await waitCellDone(cell, 30_000);
  const rec = await stopRecording(cell);
  const running = rec.filter((r) => /\[\*\]/.test(r.prompt) && r.n > 0);
  const seen = new Set(running.map((r) => r.html));
  const maxOutputs = Math.max(...rec.map((r) => r.n));
  const n = await cell.locator('.jp-OutputArea-output').count();
  const text = await outputText(cell);
  t.diagnostic(`distinct renderings while running: ${seen.size}; most outputs at once: ${maxOutputs}; final outputs: ${n}`);
  assert.ok(maxOutputs <= code.maxOutputs, `the progress bar made ${maxOutputs} outputs (a new output per update?): ${text.slice(0, 500)}`);
  assert.ok(seen.size >= 3, `the progress output changed only ${seen.size} times while running (no live updates)`);
  assert.equal(n, 1, 'the bar is not one output at the end');
  assert.match(text, code.finalWant, 'final progress state');
}, 60_000);

check('rich output: an HTML table and an SVG chart render as such', async (t) => {
  await useScratch();
  const cell = await runNewCell(page, S.rich);
  const table = cell.locator('.jp-OutputArea-output table');
  await table.first().waitFor({ timeout: 10_000 }).catch(async () => {
    throw new Error(`no <table> in the output: ${await outputText(cell)}`);
  });
  assert.equal(await table.locator('tr').count(), 3, 'table rows (header + 2)');
  assert.equal((await table.locator('td').nth(3).innerText()).trim(), '9');
  assert.equal(await cell.locator('.jp-OutputArea-output[data-mime-type="text/plain"]').count(), 0, 'a text/plain output was shown');

  const chart = await runNewCell(page, S.chart);
  // JupyterLab shows image/svg+xml as an <img> with a data: URL; HTML may hold an inline <svg>.
  const svg = chart.locator('.jp-OutputArea-output svg, .jp-OutputArea-output img[src^="data:image/svg+xml"]');
  await svg.first().waitFor({ timeout: 10_000 }).catch(async () => {
    throw new Error(`no SVG in the chart output: ${await outputText(chart)}`);
  });
  const box = await svg.first().boundingBox();
  assert.ok(box && box.width > 50 && box.height > 20, `the chart is not drawn at a visible size: ${JSON.stringify(box)}`);
  const markup = await svg.first().evaluate((el) => {
    if (el.tagName.toLowerCase() === 'svg') return el.outerHTML;
    const src = el.getAttribute('src');
    const data = src.slice(src.indexOf(',') + 1);
    return /;base64,/.test(src.slice(0, src.indexOf(',') + 1)) ? atob(data) : decodeURIComponent(data);
  });
  const rects = (markup.match(/<rect\b/g) || []).length;
  assert.ok(rects >= 2, `the chart has ${rects} <rect> bars, want 2 or more`);
  if (await svg.first().evaluate((el) => el.tagName === 'IMG')) {
    assert.ok(await svg.first().evaluate((el) => el.complete && el.naturalWidth > 0), 'the SVG image did not decode');
  }
  t.diagnostic(`chart ${Math.round(box.width)}x${Math.round(box.height)} with ${rects} rects`);
});

check('Tab completion pops up strings. members', async () => {
  await useScratch();
  const cell = await typeInNewCell(page, S.completePrefix);
  await page.keyboard.press('End');
  await page.keyboard.press('Tab');
  // Each notebook has its own completer widget; the one that pops up is not hidden.
  const completer = page.locator('.jp-Completer:not(.lm-mod-hidden)').first();
  await completer.waitFor({ state: 'visible', timeout: 15_000 }).catch(async (err) => {
    throw new Error(`no completer popup after Tab; the cell reads "${await cell.locator('.cm-content').innerText()}" (${err.message.split('\n')[0]})`);
  });
  const items = await completer.locator('.jp-Completer-item .jp-Completer-match').allInnerTexts();
  assert.ok(items.some((s) => s.trim() === S.completeWant || s.trim().startsWith(S.completeWant + '(')),
    `completer lists ${JSON.stringify(items.slice(0, 30))}, not ${S.completeWant}`);
  await screenshot(page, 'completer-open');
  await page.keyboard.press('Escape');
});

check('Shift-Tab shows a doc tooltip', async () => {
  await useScratch();
  const cell = await typeInNewCell(page, S.inspect);
  await page.keyboard.press('End');
  await page.keyboard.press('Shift+Tab');
  const tip = page.locator('.jp-Tooltip:not(.lm-mod-hidden)').first();
  await tip.waitFor({ state: 'visible', timeout: 15_000 }).catch(async (err) => {
    throw new Error(`no tooltip after Shift-Tab on "${await cell.locator('.cm-content').innerText()}" (${err.message.split('\n')[0]})`);
  });
  const text = await tip.innerText();
  assert.match(text, S.inspectWant, `tooltip: ${text}`);
  assert.match(text, S.inspectDocWant, `tooltip has no documentation: ${text}`);
  await screenshot(page, 'tooltip-open');
  await page.keyboard.press('Escape');
});

check('help (?name) shows in the cell\'s output area, after its output', async () => {
  await useScratch();
  const cell = await runNewCell(page, S.help);
  // JupyterLab turns the execute_reply's page payload into an output of
  // the cell, added once the reply arrives, so after the printed line.
  const outs = await cell.locator('.jp-OutputArea-output').allInnerTexts();
  const printed = outs.findIndex((o) => /before help/.test(o));
  const help = outs.findIndex((o) => S.helpWant.test(o));
  assert.ok(printed >= 0 && help > printed, `outputs ${JSON.stringify(outs.map((o) => o.slice(0, 80)))}`);
});

check('the interrupt button stops for {} and the next cell runs', async (t) => {
  await useScratch();
  const loop = await typeInNewCell(page, S.loop);
  await page.keyboard.press('Control+Enter');
  await until(async () => /\[\*\]/.test(await prompt(loop)), 10_000, 'the loop cell never started');
  await sleep(1500);
  assert.match(await prompt(loop), /\[\*\]/, 'the loop ended by itself');
  const t0 = Date.now();
  await panel(page).locator('jp-button[data-command="notebook:interrupt-kernel"]').click();
  await waitCellDone(loop, 15_000);
  await waitKernelIdle(page, 15_000);
  note(t, `interrupted in ${Date.now() - t0} ms; loop cell shows: ${(await outputText(loop)).slice(0, 200)}`);
  const next = await runNewCell(page, S.afterLoop, { timeout: 15_000 });
  assert.match(await outputText(next), S.afterLoopWant);
}, 60_000);

check('Restart Kernel gives a fresh state', async () => {
  await useScratch();
  const def = await runNewCell(page, S.define);
  assert.match(await outputText(def), S.defineWant);
  const use1 = await runNewCell(page, S.use);
  assert.match(await outputText(use1), S.defineWant, 'the variable is not defined before the restart');
  await menu(page, 'Kernel', 'Restart Kernel');
  await acceptDialog(page);
  await sleep(500);
  await waitKernelIdle(page, 60_000);
  const use2 = await runNewCell(page, S.use);
  const out = await outputText(use2);
  assert.doesNotMatch(out, S.defineWant, 'the variable survived the restart');
  assert.match(out, S.useWant, `after the restart: ${out}`);
}, 90_000);

check('a cell reading stdin shows an input box and uses what is typed', async () => {
  await useScratch();
  const cell = await typeInNewCell(page, S.stdin);
  await page.keyboard.press('Control+Enter');
  const input = cell.locator('.jp-Stdin-input');
  await input.waitFor({ state: 'visible', timeout: 15_000 }).catch(async (err) => {
    throw new Error(`no input box; output: ${await outputText(cell)} (${err.message.split('\n')[0]})`);
  });
  await screenshot(page, 'stdin-box');
  await input.fill('gopher');
  await input.press('Enter');
  await waitCellDone(cell, 15_000);
  const out = await outputText(cell);
  assert.match(out, S.stdinWant, `output: ${out}`);
});
