// Measures a reveal.js deck exported by notebooks/export-slides.sh, slide by
// slide, in the page the caller opened: for every slide (each vertical slide of
// a stack, with all its fragments shown) the rectangle of everything it shows,
// against the window, and every code or output block whose lines are wider
// than the block (a clipped or scrolled line).

/** The page's reveal.js: a global, or a require.js module in nbconvert's own decks. */
const findDeck = `(() => {
  if (window.Reveal && window.Reveal.getCurrentSlide) return window.Reveal;
  const defined = (window.requirejs && window.requirejs.s.contexts._.defined) || {};
  const id = Object.keys(defined).find((k) => /dist\\/reveal\\.js$/.test(k));
  return id && defined[id];
})()`;

/** Returns one entry per slide: {h, v, title, box, zoom, clipped: [...]} */
export async function measureDeck(page) {
  await page.evaluate(`window.__golitDeck = ${findDeck}`);
  const slides = await page.evaluate(() => {
    const deck = window.__golitDeck;
    const list = [];
    deck.getHorizontalSlides().forEach((hs, h) => {
      const vs = hs.querySelectorAll(':scope > section');
      if (vs.length === 0) list.push({ h, v: 0 });
      else vs.forEach((_, v) => list.push({ h, v }));
    });
    return list;
  });
  const out = [];
  for (const s of slides) {
    const m = await page.evaluate(async ({ h, v }) => {
      const deck = window.__golitDeck;
      deck.slide(h, v);
      // Show every fragment: the slide at its fullest.
      while (deck.nextFragment()) { /* next */ }
      await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
      const section = deck.getCurrentSlide();
      const view = { width: window.innerWidth, height: window.innerHeight };
      const box = { left: Infinity, top: Infinity, right: -Infinity, bottom: -Infinity };
      const visible = (el) => {
        const st = getComputedStyle(el);
        return st.display !== 'none' && st.visibility !== 'hidden';
      };
      for (const el of [section, ...section.querySelectorAll('*')]) {
        if (el.closest('aside.notes') || !visible(el)) continue;
        const r = el.getBoundingClientRect();
        if (r.width === 0 && r.height === 0) continue;
        box.left = Math.min(box.left, r.left);
        box.top = Math.min(box.top, r.top);
        box.right = Math.max(box.right, r.right);
        box.bottom = Math.max(box.bottom, r.bottom);
      }
      const clipped = [];
      for (const el of section.querySelectorAll('pre, .jp-OutputArea-output, .jp-RenderedHTMLCommon table')) {
        if (!visible(el) || el.closest('aside.notes')) continue;
        if (el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 1) {
          clipped.push(`${el.tagName.toLowerCase()}.${el.className}: ${el.scrollWidth}x${el.scrollHeight} in ${el.clientWidth}x${el.clientHeight}: ${el.textContent.trim().slice(0, 60)}`);
        }
      }
      const title = (section.querySelector('h1, h2, h3')?.textContent || section.textContent).trim().slice(0, 50);
      return { view, box, clipped, title, zoom: section.getAttribute('data-golit-zoom') };
    }, s);
    out.push({ ...s, ...m });
  }
  return out;
}

/** The problems of a measured slide: content outside the window, clipped lines. */
export function slideProblems(m) {
  const p = [];
  const b = m.box;
  if (b.left < -0.5 || b.top < -0.5 || b.right > m.view.width + 0.5 || b.bottom > m.view.height + 0.5) {
    p.push(`content box ${Math.round(b.left)},${Math.round(b.top)}-${Math.round(b.right)},${Math.round(b.bottom)} outside the ${m.view.width}x${m.view.height} window`);
  }
  for (const c of m.clipped) p.push(`clipped: ${c}`);
  return p;
}
