// The scheduler chart of golit/sched as a browser draws it: the golden SVGs
// (sched/testdata, drawn from traces recorded in notebook cells) open in
// Chromium as well-formed SVG, every label lies inside the picture, no two
// labels overlap, and the lanes a reader looks for are there. Screenshots land
// in e2e/artifacts/ (notebooks/README.md shows them).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { env, launch, screenshot } from './lib.mjs';

let context;
let page;

before(async () => {
  context = await launch('sched');
  page = context.pages()[0] || (await context.newPage());
});

after(async () => {
  await context?.close();
});

for (const [name, procs] of [['p1', 1], ['allcores', 2]]) {
  test(`scheduler chart ${name} renders with its lanes, labels inside and apart`, async () => {
    const file = path.join(env.root, 'sched', 'testdata', `${name}.golden.svg`);
    await page.goto(pathToFileURL(file).href);
    const info = await page.evaluate(() => {
      const svg = document.documentElement;
      const box = svg.getBoundingClientRect();
      const texts = [...svg.querySelectorAll('text')].map((t) => {
        const b = t.getBoundingClientRect();
        return { s: t.textContent, fill: t.getAttribute('fill'), x0: b.left, x1: b.right, y0: b.top, y1: b.bottom };
      });
      return { tag: svg.tagName, w: box.width, h: box.height, texts, rects: svg.querySelectorAll('rect').length };
    });
    assert.equal(info.tag, 'svg', `${name}: not parsed as SVG`);
    const labels = info.texts.map((t) => t.s);
    for (let p = 0; p < procs; p++) assert.ok(labels.includes(`P${p}`), `${name}: no P${p} lane`);
    for (const want of ['cell', 'isPrime #0', 'isPrime #3', 'running', 'runnable']) {
      assert.ok(labels.includes(want), `${name}: no label ${want} in ${labels.join('|')}`);
    }
    for (const t of info.texts) {
      assert.ok(t.x0 >= -0.5 && t.x1 <= info.w + 0.5 && t.y0 >= -0.5 && t.y1 <= info.h + 0.5,
        `${name}: label "${t.s}" (${t.x0.toFixed(0)}-${t.x1.toFixed(0)}, ${t.y0.toFixed(0)}) lies outside the ${info.w}x${info.h} picture`);
    }
    // Labels drawn on the chart's background (not white text inside bars)
    // must not overlap each other.
    const outside = info.texts.filter((t) => t.fill !== '#ffffff');
    for (let i = 0; i < outside.length; i++) {
      for (let j = i + 1; j < outside.length; j++) {
        const a = outside[i], b = outside[j];
        const ox = Math.min(a.x1, b.x1) - Math.max(a.x0, b.x0);
        const oy = Math.min(a.y1, b.y1) - Math.max(a.y0, b.y0);
        assert.ok(ox <= 1 || oy <= 1, `${name}: labels "${a.s}" and "${b.s}" overlap`);
      }
    }
    assert.ok(info.rects > 20, `${name}: only ${info.rects} rectangles`);
    await page.setViewportSize({ width: Math.ceil(info.w), height: Math.ceil(info.h) });
    await screenshot(page, `${name}-scheduler-chart`);
  });
}
