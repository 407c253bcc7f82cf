// Slides as instructors make them: nbconvert exports a notebook to a reveal.js
// deck (with e2e/export-slides.sh), and the deck works in a browser with the
// network blocked: reveal.js comes from the local copy, arrow keys move slides.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { env, launch, screenshot, sleep, until } from './lib.mjs';

const e2eDir = path.join(env.root, 'e2e');
const outDir = path.join(env.artifacts, 'slides');
let context;
let page;
const blocked = [];
const pageErrors = [];

before(async () => {
  context = await launch('slides');
  // The network is blocked: only file: URLs and this machine's loopback pass.
  await context.route('**/*', (route) => {
    const u = new URL(route.request().url());
    const local = u.protocol === 'file:' || u.protocol === 'data:' || u.protocol === 'blob:' ||
      ['localhost', '127.0.0.1', '[::1]'].includes(u.hostname);
    if (local) return route.continue();
    blocked.push(u.href);
    return route.abort('internetdisconnected');
  });
  page = context.pages()[0] || (await context.newPage());
  page.on('pageerror', (e) => pageErrors.push(e.message));
});

after(async () => {
  await context?.close();
});

/** Exports nb with the documented command and returns the deck's path. */
function exportDeck(nb) {
  execFileSync('bash', [path.join(e2eDir, 'export-slides.sh'), nb, outDir], { stdio: ['ignore', 'pipe', 'pipe'], timeout: 120_000 });
  const deck = path.join(outDir, path.basename(nb).replace(/\.ipynb$/, '.slides.html'));
  assert.ok(fs.existsSync(deck), `nbconvert wrote no ${deck}`);
  return deck;
}

/** Opens the deck and waits until reveal.js has laid it out. */
async function openDeck(deck) {
  blocked.length = 0;
  pageErrors.length = 0;
  await page.goto(pathToFileURL(deck).href, { waitUntil: 'load' });
  await page.locator('.reveal.ready').waitFor({ timeout: 20_000 }).catch(() => {
    throw new Error(`reveal.js never initialised the deck; blocked requests: ${JSON.stringify(blocked)}; page errors: ${JSON.stringify(pageErrors)}`);
  });
  await page.locator('.reveal .slides section.present').first().waitFor({ state: 'visible' });
  // reveal.js, require.js and jQuery came from the local copy, not the network.
  const remote = blocked.filter((u) => /reveal|require|jquery/i.test(u));
  assert.deepEqual(remote, [], 'the deck asked the network for reveal.js, require.js or jQuery');
}

/** Reveal.getIndices() of the deck's reveal.js instance (loaded through require.js). */
async function indices() {
  return page.evaluate(() => {
    const defined = window.requirejs.s.contexts._.defined;
    const id = Object.keys(defined).find((k) => /dist\/reveal\.js$/.test(k));
    if (!id) throw new Error(`reveal.js is not a loaded module: ${Object.keys(defined)}`);
    return defined[id].getIndices();
  });
}

test('a notebook exported to slides renders offline and arrow keys move slides', { timeout: 120_000 }, async (t) => {
  try {
    const deck = exportDeck(path.join(e2eDir, 'fixtures', 'slides.ipynb'));
    await openDeck(deck);
    const sections = await page.locator('.reveal .slides > section').count();
    assert.ok(sections >= 3, `the deck has ${sections} slides, want 3 or more`);
    assert.match(await page.locator('.reveal .slides section.present').first().innerText(), /Slide deck check/);
    assert.deepEqual(await indices(), { h: 0, v: 0, f: undefined });
    await page.locator('.reveal').click();
    await page.keyboard.press('ArrowRight');
    await until(async () => (await indices()).h === 1, 5_000, async () => `ArrowRight did not move to slide 2: ${JSON.stringify(await indices())}`);
    assert.match(await page.locator('.reveal .slides > section.present').innerText(), /Goroutines/);
    await sleep(1000); // let the slide transition finish before the screenshot
    await screenshot(page, 'slides-second');
    await page.keyboard.press('ArrowLeft');
    await until(async () => (await indices()).h === 0, 5_000, 'ArrowLeft did not move back to slide 1');
    t.diagnostic(`slides: ${sections}; blocked remote requests: ${blocked.length ? blocked.join(' ') : 'none'}`);
  } finally {
    await screenshot(page, 'slides-fixture');
  }
});

test('the first workshop notebook exports to a deck that renders offline', { timeout: 120_000 }, async (t) => {
  const dir = path.join(env.root, 'notebooks');
  const first = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => /^01.*\.ipynb$/.test(f)).sort()[0] : undefined;
  if (!first) {
    t.skip('SKIPPED: no notebooks/01*.ipynb in the repo yet');
    return;
  }
  try {
    const deck = exportDeck(path.join(dir, first));
    await openDeck(deck);
    const sections = await page.locator('.reveal .slides > section').count();
    t.diagnostic(`notebooks/${first}: ${sections} horizontal slides`);
    if (sections > 1) {
      const h0 = (await indices()).h;
      await page.locator('.reveal').click();
      await page.keyboard.press('ArrowRight');
      await until(async () => (await indices()).h !== h0, 5_000, 'ArrowRight did not move the workshop deck');
    }
    await sleep(1000);
  } finally {
    await screenshot(page, 'slides-workshop');
  }
});
