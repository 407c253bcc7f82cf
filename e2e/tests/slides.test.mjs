// Slides as instructors make them: notebooks/export-slides.sh turns notebooks
// into reveal.js decks and HTML pages of one file each. Here every deck is
// copied elsewhere (as when it is e-mailed) and opened in Chromium at 1280x720
// with every request that is not file:, data: or blob: aborted, and fails on
// any such request. Each slide, all fragments shown, must fit the window with
// no code or output line clipped (deckfit.mjs measures it).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { env, launch, screenshot, sleep, until } from './lib.mjs';
import { measureDeck, slideProblems } from './deckfit.mjs';

const exportCmd = path.join(env.root, 'notebooks', 'export-slides.sh');
const outDir = path.join(env.artifacts, 'slides');
// Decks exported from executed notebooks by tests/test_notebooks.py (the pytest
// stage runs before this one in ./test.sh): the slides with their real outputs.
const executedDecks = path.join(env.root, 'tests', 'artifacts', 'decks');
// Below this a slide's text is too small to read from the back of a room.
const MIN_ZOOM = 0.4;
const VIEW = { width: 1280, height: 720 };
let context;
let page;
const blocked = [];
const pageErrors = [];

before(async () => {
  context = await launch('slides');
  await context.route('**/*', (route) => {
    const u = new URL(route.request().url());
    if (['file:', 'data:', 'blob:'].includes(u.protocol)) return route.continue();
    blocked.push(u.href);
    return route.abort('internetdisconnected');
  });
  page = context.pages()[0] || (await context.newPage());
  await page.setViewportSize(VIEW);
  page.on('pageerror', (e) => pageErrors.push(e.message));
});

after(async () => {
  await context?.close();
});

/** Exports notebooks with the documented command (as they are, without running them). */
function exportNotebooks(notebooks) {
  execFileSync('bash', [exportCmd, '--no-execute', '-o', outDir, ...notebooks],
    { stdio: ['ignore', 'pipe', 'pipe'], timeout: 300_000, env: { ...process.env, GOLIT_EXPORT_PYTHON: path.join(process.env.VIRTUAL_ENV || path.join(env.root, '.venv'), 'bin', 'python') } });
}

/** Copies a file into a fresh folder of its own: the deck must not need its neighbours. */
function moved(file) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'golit-deck-'));
  const to = path.join(dir, path.basename(file));
  fs.copyFileSync(file, to);
  return to;
}

/** Opens a page offline and checks that it asked the network for nothing. */
async function openOffline(file, { deck = true } = {}) {
  blocked.length = 0;
  pageErrors.length = 0;
  await page.goto(pathToFileURL(moved(file)).href, { waitUntil: 'load' });
  if (deck) {
    await page.locator('.reveal.ready').waitFor({ timeout: 20_000 }).catch(() => {
      throw new Error(`reveal.js never initialised ${path.basename(file)}; blocked: ${JSON.stringify(blocked)}; page errors: ${JSON.stringify(pageErrors)}`);
    });
  }
  await sleep(300);
  assert.deepEqual(blocked, [], `${path.basename(file)} asked the network`);
  assert.deepEqual(pageErrors, [], `${path.basename(file)} had script errors`);
}

/** Checks every slide of the open deck; returns a one-line summary. */
async function checkFit(t, name) {
  const slides = await measureDeck(page);
  const problems = [];
  for (const m of slides) {
    for (const p of slideProblems(m)) problems.push(`${name} slide ${m.h}/${m.v} "${m.title}": ${p}`);
    if (m.zoom && Number(m.zoom) < MIN_ZOOM) problems.push(`${name} slide ${m.h}/${m.v} "${m.title}": zoomed to ${m.zoom} to fit`);
  }
  assert.deepEqual(problems, [], problems.join('\n'));
  const zoomed = slides.filter((m) => m.zoom);
  const least = Math.min(1, ...zoomed.map((m) => Number(m.zoom)));
  const line = `${name}: ${slides.length} slides fit ${VIEW.width}x${VIEW.height}; ${zoomed.length} zoomed out, least ${least}`;
  t.diagnostic(line);
  assert.deepEqual(blocked, [], `${name} asked the network while showing its slides`);
  return line;
}

test('a deck with code, a formula and a diagram works offline and moved, fits, and arrow keys move it', { timeout: 400_000 }, async (t) => {
  const nb = path.join(env.root, 'e2e', 'fixtures', 'slides.ipynb');
  exportNotebooks([nb]);
  const deck = path.join(outDir, 'slides.slides.html');
  try {
    await openOffline(deck);
    const sections = await page.locator('.reveal .slides > section').count();
    assert.ok(sections >= 4, `the deck has ${sections} slides, want 4 or more`);
    assert.match(await page.locator('.reveal .slides section.present').first().innerText(), /Slide deck check/);
    const indices = () => page.evaluate(() => window.Reveal.getIndices());
    assert.deepEqual(await indices(), { h: 0, v: 0, f: undefined });
    await page.locator('.reveal').click();
    await page.keyboard.press('ArrowRight');
    await until(async () => (await indices()).h === 1, 5_000, async () => `ArrowRight did not move to slide 2: ${JSON.stringify(await indices())}`);
    assert.match(await page.locator('.reveal .slides > section.present').innerText(), /Goroutines/);
    await page.keyboard.press('ArrowLeft');
    await until(async () => (await indices()).h === 0, 5_000, 'ArrowLeft did not move back to slide 1');
    // MathJax and Mermaid, from inside the file.
    await until(async () => (await page.locator('mjx-container svg').count()) > 0, 10_000, 'MathJax rendered no formula');
    await until(async () => (await page.locator('pre.mermaid svg, .jp-Mermaid svg').count()) > 0, 10_000, 'Mermaid rendered no diagram');
    const text = await page.locator('.reveal .slides').textContent();
    assert.match(text, /spinner done/);
    assert.doesNotMatch(text, /spinning \d/, 'the spinner frames are in the deck, not only its last state');
    assert.doesNotMatch(text, /claim check/, 'a cell tagged remove-cell is in the deck');
    await checkFit(t, 'fixture');
    await page.evaluate(() => window.Reveal.slide(2, 1));
    await sleep(300);
    await screenshot(page, 'slides-fixture-wrapped');
    await openOffline(path.join(outDir, 'slides.html'), { deck: false });
    await until(async () => (await page.locator('mjx-container svg').count()) > 0, 10_000, 'MathJax rendered no formula in the HTML page');
    await until(async () => (await page.locator('pre.mermaid svg, .jp-Mermaid svg').count()) > 0, 10_000, 'Mermaid rendered no diagram in the HTML page');
  } finally {
    await screenshot(page, 'slides-fixture');
  }
});

test('every workshop deck fits 1280x720 and works offline, as committed and as run', { timeout: 400_000 }, async (t) => {
  const dir = path.join(env.root, 'notebooks');
  const notebooks = fs.readdirSync(dir).filter((f) => /^\d\d-.*\.ipynb$/.test(f)).sort();
  assert.ok(notebooks.length >= 8, `workshop notebooks: ${notebooks}`);
  exportNotebooks(notebooks.map((f) => path.join(dir, f)));
  const decks = notebooks.map((f) => [`${f} (as committed)`, path.join(outDir, f.replace(/\.ipynb$/, '.slides.html'))]);
  let ran = 0;
  for (const f of notebooks) {
    const deck = path.join(executedDecks, f.replace(/\.ipynb$/, '.slides.html'));
    if (fs.existsSync(deck) && fs.statSync(deck).mtimeMs > fs.statSync(path.join(dir, f)).mtimeMs) {
      decks.push([`${f} (run by tests/test_notebooks.py)`, deck]);
      ran++;
    }
  }
  if (ran === 0) t.diagnostic('no decks of run notebooks in tests/artifacts/decks (run the pytest stage first): checked the committed notebooks only');
  for (const [name, deck] of decks) {
    await openOffline(deck);
    await checkFit(t, name);
    await screenshot(page, `slides-${path.basename(deck, '.slides.html')}`);
    await openOffline(deck.replace(/\.slides\.html$/, '.html'), { deck: false });
  }
});
