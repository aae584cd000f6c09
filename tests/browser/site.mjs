// End-to-end test of the static site that `mkn export --format site` writes,
// in a real browser (Debian's chromium, driven by playwright-core).
//
//   node tests/browser/site.mjs SITE_DIR SCREENSHOT_DIR [PLAN_JSON]
//
// SITE_DIR is served over HTTP on 127.0.0.1 (a free port). PLAN_JSON says
// which fixture practices the search must find (see DEFAULT_PLAN; the Rust
// test tests/cli/browser.rs passes the plan of the corpus it builds).
//
// What is checked, each failure listed at the end:
// - no console error, page error, dialog (an injected alert), failed request,
//   HTTP error or request to another host, on any page;
// - the home page's search: typing finds a practice and leaves others out,
//   without submitting; a facet narrows the results; a title with `&` and `<`
//   is shown as text; another page's search form leads to index.html?q=...,
//   whose results link to the practice page; search works from file:// too;
// - every href, src, srcset and form action of every page reachable from
//   index.html, and every link of feed.xml, resolves (no 404), is relative
//   (or an https link to elsewhere, never an asset), and does not climb out
//   of the site; fragments name an id of their target;
// - each practice page shows its source file (details#source) and links to it;
// - feed.xml is Atom with entries;
// - accessibility that a script can see: html lang, a title, one <h1>,
//   headings that do not skip a level, one <main>, labels for form controls,
//   names for links and buttons, alt on images, unique ids; no horizontal
//   scrolling at a 375px phone width.
//
// Exit codes: 0 all passed, 1 failures (listed), 2 bad usage or no browser.
//
// playwright-core is the driver without browser downloads; it launches the
// system chromium (MKN_CHROMIUM overrides /usr/bin/chromium).

import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

import { chromium } from 'playwright-core';

const DEFAULT_PLAN = {
  // typed into #search-input: must list `expect`, must not list `absent`
  search: { query: 'brine', expect: ['guelph-brine-anti-icing'], absent: ['waterloo-region-green-bin'] },
  // typed, then a facet chosen (by option value, or label): `kept` stay, `dropped` go
  facet: {
    query: 'salt',
    select: 'facet-area',
    value: 'roads-winter-control',
    kept: ['guelph-brine-anti-icing'],
    dropped: ['salt-and-brine-mix'],
  },
  // a title that must be shown as text, in the results and on its page
  escaped: { query: 'salt', slug: 'salt-and-brine-mix', title: 'Salt & <brine> mix' },
  // another page's search form submits to index.html?q=...; click through to `expect`
  navigate: {
    from: 'practices/hamilton-pothole-blitz.html',
    query: 'green bin',
    expect: 'waterloo-region-green-bin',
    title: 'Green bin organics collection',
  },
  // pages the crawl from index.html must reach
  pages: [],
  // the folder of the documents' pages the search results link to
  folder: 'practices',
  // the facet selects the home page must have (select#facet-KEY)
  facets: ['area', 'kind', 'region', 'tier', 'year'],
  // the practice page to take screenshots of
  screenshot: 'guelph-brine-anti-icing',
  // external http: links fail ("fail"), or are counted in a note ("note": for a
  // real corpus, whose sources' addresses the site copies as they are)
  http: 'fail',
};

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const TIMEOUT = 10_000;
const WATCHDOG = 240_000;

const CONTENT_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.xml': 'application/xml; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

const failures = [];
const passed = [];
/** The folder of the documents' pages (plan.folder), set once the plan is read. */
let FOLDER = DEFAULT_PLAN.folder;
function fail(where, what) {
  failures.push(`${where}: ${what}`);
}
function ok(what) {
  passed.push(what);
  console.log(`site.mjs ok   ${what}`);
}

function usage(message) {
  console.error(`site.mjs: ${message}`);
  console.error('usage: node tests/browser/site.mjs SITE_DIR SCREENSHOT_DIR [PLAN_JSON]');
  process.exit(2);
}

// ---------------------------------------------------------------- the server

/** Serves `root`: files only, no listings, nothing outside it, 404 otherwise. */
function serve(root) {
  const requested404 = new Set();
  const server = http.createServer((req, res) => {
    const send = (status, type, body) => {
      res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
      res.end(req.method === 'HEAD' ? undefined : body);
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      return send(405, 'text/plain; charset=utf-8', 'method not allowed\n');
    }
    let rel;
    try {
      rel = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    } catch {
      return send(400, 'text/plain; charset=utf-8', 'bad path\n');
    }
    if (rel.endsWith('/')) rel += 'index.html';
    const file = path.resolve(root, '.' + path.posix.normalize('/' + rel));
    const inside = file === root || file.startsWith(root + path.sep);
    let stat;
    try {
      stat = inside && !rel.includes('\0') ? fs.statSync(file) : null;
    } catch {
      stat = null;
    }
    if (!stat || !stat.isFile()) {
      requested404.add(rel);
      return send(404, 'text/plain; charset=utf-8', `not found: ${rel}\n`);
    }
    const ext = path.extname(file).toLowerCase();
    const type = path.basename(file) === 'feed.xml' ? 'application/atom+xml; charset=utf-8' : CONTENT_TYPES[ext];
    send(200, type ?? 'application/octet-stream', fs.readFileSync(file));
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => resolve({ server, origin: `http://127.0.0.1:${server.address().port}`, requested404 }));
  });
}

/** The server must not answer for files outside the site. */
async function checkServer(origin) {
  for (const probe of ['/../site.mjs', '/%2e%2e/%2e%2e/etc/passwd', '/assets/..%2f..%2fpackage.json', '/no-such-page.html']) {
    const res = await rawGet(origin, probe);
    if (res.status !== 404) fail('server', `${probe} answered ${res.status}, not 404`);
  }
}

/** GET with the path sent as given (fetch would normalise `..`). */
function rawGet(origin, rawPath) {
  const { hostname, port } = new URL(origin);
  return new Promise((resolve, reject) => {
    const req = http.request({ hostname, port, path: rawPath, method: 'GET' }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode, type: res.headers['content-type'] ?? '', body: Buffer.concat(chunks) }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

// ---------------------------------------------------------------- the browser

/** A page whose every problem lands in `failures`, labelled by what it was doing. */
async function watchedPage(context, origin) {
  const page = await context.newPage();
  page.setDefaultTimeout(TIMEOUT);
  const blocked = new Set();
  const where = () => {
    const url = page.url().split(/[?#]/)[0];
    return url.startsWith(origin) ? url.slice(origin.length + 1) || 'index.html' : url;
  };
  page.on('console', (msg) => {
    // A failed load is reported, with its URL, by the `response` and `requestfailed` handlers.
    if (msg.type() === 'error' && !msg.text().startsWith('Failed to load resource')) {
      fail(where(), `console error: ${msg.text()}`);
    }
  });
  page.on('pageerror', (err) => fail(where(), `page error: ${err.message}`));
  page.on('dialog', (dialog) => {
    fail(where(), `unexpected ${dialog.type()} dialog: ${JSON.stringify(dialog.message())} (injected script?)`);
    dialog.dismiss().catch(() => {});
  });
  page.on('requestfailed', (req) => {
    const why = req.failure()?.errorText ?? 'failed';
    if (blocked.has(req.url())) return; // reported by the route below
    if (why !== 'net::ERR_ABORTED' || !req.url().startsWith(origin)) fail(where(), `request failed: ${req.url()} (${why})`);
  });
  page.on('response', (res) => {
    if (res.status() >= 400) fail(where(), `HTTP ${res.status()} for ${res.url()}`);
  });
  await page.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith(origin + '/') || url.startsWith('file:') || url.startsWith('data:') || url === 'about:blank') {
      return route.continue();
    }
    blocked.add(url);
    fail(where(), `request to another host: ${url} (the site must not load external assets)`);
    return route.abort('blockedbyclient');
  });
  return page;
}

/** The document slugs (pages in FOLDER) the result list links to, in order. */
async function resultSlugs(page) {
  return page.$$eval(
    '#search-results li a[href]',
    (links, folder) =>
      links.map((a) => (new URL(a.href).pathname.match(new RegExp(`/${folder}/([^/]+)\\.html$`)) ?? [null, `?${a.getAttribute('href')}`])[1]),
    FOLDER,
  );
}

/** Waits until the result list lists every `present` and no `absent`; false (and a failure) on timeout. */
async function waitForResults(page, where, present, absent, what) {
  try {
    await page.waitForFunction(
      ([present, absent, folder]) => {
        const slugs = [...document.querySelectorAll('#search-results li a[href]')].map(
          (a) => (new URL(a.href).pathname.match(new RegExp(`/${folder}/([^/]+)\\.html$`)) ?? [])[1],
        );
        return present.every((s) => slugs.includes(s)) && absent.every((s) => !slugs.includes(s));
      },
      [present, absent, FOLDER],
      { timeout: TIMEOUT },
    );
    return true;
  } catch {
    const got = await resultSlugs(page).catch(() => []);
    const status = await page.locator('#search-status').textContent().catch(() => null);
    fail(
      where,
      `${what}: expected results with [${present.join(', ')}] and without [${absent.join(', ')}], ` +
        `got [${got.join(', ')}] (status: ${JSON.stringify(status?.trim() ?? null)})`,
    );
    return false;
  }
}

async function typeQuery(page, query) {
  const input = page.locator('#search-input');
  await input.fill('');
  await input.pressSequentially(query, { delay: 15 });
}

// ---------------------------------------------------------------- search

async function checkHome(page, origin, plan) {
  const res = await page.goto(`${origin}/index.html`);
  if (res?.status() !== 200) return fail('index.html', `HTTP ${res?.status()}`);
  for (const sel of [
    'form[role="search"] #search-input[type="search"]',
    '#search-status',
    'ol#search-results',
    ...plan.facets.map((f) => `select#facet-${f}`),
  ]) {
    if ((await page.locator(sel).count()) !== 1) fail('index.html', `expected one element matching ${sel}`);
  }
  if ((await page.locator('#search-input').count()) !== 1) return;

  // Typing, not submitting, updates the results.
  // (The page may keep the query in its address with history.replaceState; a
  // marker in the window tells that apart from a reload.)
  const { query, expect, absent } = plan.search;
  await page.evaluate(() => {
    window.__mknSamePage = true;
  });
  await typeQuery(page, query);
  if (await waitForResults(page, 'index.html', expect, absent, `typing ${JSON.stringify(query)}`)) {
    ok(`typing ${JSON.stringify(query)} lists ${expect.join(', ')} and not ${absent.join(', ')}`);
  }
  if (!(await page.evaluate(() => window.__mknSamePage === true))) {
    fail('index.html', `typing loaded another page (${page.url()}): the search should update in place, not submit`);
  }
  const status = (await page.locator('#search-status').textContent().catch(() => '')) ?? '';
  if (!status.trim()) fail('index.html', '#search-status is empty after a search');
  const live = await page.locator('#search-status').evaluate((el) => el.getAttribute('aria-live') ?? el.getAttribute('role'));
  if (!live) fail('index.html', '#search-status has no aria-live (or role=status): screen readers miss the result count');

  // A facet narrows the results.
  const f = plan.facet;
  await typeQuery(page, f.query);
  if (await waitForResults(page, 'index.html', [...f.kept, ...f.dropped], [], `typing ${JSON.stringify(f.query)}`)) {
    const before = (await resultSlugs(page)).length;
    const select = page.locator(`#${f.select}`);
    const options = await select.locator('option').evaluateAll((os) => os.map((o) => ({ value: o.value, label: o.textContent.trim() })));
    const option =
      options.find((o) => o.value === f.value) ??
      options.find((o) => o.label === f.value) ??
      options.find((o) => o.label.toLowerCase().startsWith(f.value.toLowerCase()));
    if (!option) {
      fail('index.html', `#${f.select} has no option ${JSON.stringify(f.value)}: ${JSON.stringify(options)}`);
    } else {
      await select.selectOption({ value: option.value });
      if (await waitForResults(page, 'index.html', f.kept, f.dropped, `choosing ${f.select}=${option.value}`)) {
        const after = (await resultSlugs(page)).length;
        if (!(after < before)) fail('index.html', `${f.select}=${option.value} did not narrow the results (${before} -> ${after})`);
        else ok(`${f.select}=${option.value} narrows ${JSON.stringify(f.query)} from ${before} to ${after} results`);
      }
      await select.selectOption({ value: options[0].value });
    }
  }

  // A title with markup characters is text, in the results and on its page.
  const e = plan.escaped;
  await typeQuery(page, e.query);
  if (await waitForResults(page, 'index.html', [e.slug], [], `typing ${JSON.stringify(e.query)}`)) {
    const text = await page
      .locator(`#search-results li a[href$="${FOLDER}/${e.slug}.html"]`)
      .first()
      .textContent();
    if (!text?.includes(e.title)) fail('index.html', `result for ${e.slug} reads ${JSON.stringify(text)}, not ${JSON.stringify(e.title)}`);
    else ok(`the result for ${e.slug} reads ${JSON.stringify(e.title)}`);
  }
  await checkNoInjectedElements(page, 'index.html');

  await page.goto(`${origin}/${FOLDER}/${e.slug}.html`);
  const h1 = (await page.locator('h1').first().textContent().catch(() => null))?.trim();
  if (h1 !== e.title) fail(`${FOLDER}/${e.slug}.html`, `<h1> reads ${JSON.stringify(h1)}, not ${JSON.stringify(e.title)}`);
  const title = await page.title();
  if (!title.includes(e.title)) fail(`${FOLDER}/${e.slug}.html`, `<title> reads ${JSON.stringify(title)}, without ${JSON.stringify(e.title)}`);
  await checkNoInjectedElements(page, `${FOLDER}/${e.slug}.html`);
  if (h1 === e.title && title.includes(e.title)) ok(`${FOLDER}/${e.slug}.html shows its title as text`);
}

/** Markup from the fixture's titles (`<brine>`) or bodies must never become elements. */
async function checkNoInjectedElements(page, where) {
  const injected = await page.evaluate(() =>
    [...document.querySelectorAll('brine, main script:not([src]), main iframe, main object, [onerror], [onclick], [onload], [onmouseover]')].map((el) => el.outerHTML.slice(0, 80)),
  );
  for (const html of injected) fail(where, `element that the fixture's text injected: ${html}`);
}

async function checkNavigation(page, origin, plan) {
  const n = plan.navigate;
  const res = await page.goto(`${origin}/${n.from}`);
  if (res?.status() !== 200) return fail(n.from, `HTTP ${res?.status()}`);
  const input = page.locator('form[role="search"] input[type="search"], form[role="search"] input[name="q"]').first();
  if ((await input.count()) === 0) return fail(n.from, 'no search form (form[role=search] with an input)');
  await input.fill(n.query);
  await Promise.all([page.waitForURL(/\/index\.html\?(.*&)?q=/, { timeout: TIMEOUT }).catch(() => {}), input.press('Enter')]);
  const url = new URL(page.url());
  if (url.pathname !== '/index.html' || url.searchParams.get('q') !== n.query) {
    return fail(n.from, `its search form led to ${page.url()}, not index.html?q=${encodeURIComponent(n.query)}`);
  }
  const value = await page.locator('#search-input').inputValue().catch(() => null);
  if (value !== n.query) fail('index.html?q=', `#search-input holds ${JSON.stringify(value)}, not ${JSON.stringify(n.query)}`);
  if (!(await waitForResults(page, 'index.html?q=', [n.expect], [], `loading index.html?q=${n.query}`))) return;
  await Promise.all([
    page.waitForURL(`**/${FOLDER}/${n.expect}.html`, { timeout: TIMEOUT }).catch(() => {}),
    page.locator(`#search-results li a[href$="${FOLDER}/${n.expect}.html"]`).first().click(),
  ]);
  if (new URL(page.url()).pathname !== `/${FOLDER}/${n.expect}.html`) {
    return fail('index.html?q=', `clicking the result for ${n.expect} led to ${page.url()}`);
  }
  const h1 = (await page.locator('h1').first().textContent())?.trim();
  if (h1 !== n.title) return fail(`${FOLDER}/${n.expect}.html`, `<h1> reads ${JSON.stringify(h1)}, not ${JSON.stringify(n.title)}`);
  ok(`${n.from} → search ${JSON.stringify(n.query)} → index.html?q= → ${FOLDER}/${n.expect}.html`);
}

/** The site works opened from disk: the index is a script, not a fetch. */
async function checkOffline(page, site, plan) {
  const url = pathToFileURL(path.join(site, 'index.html')).href;
  await page.goto(url);
  const { query, expect, absent } = plan.search;
  if ((await page.locator('#search-input').count()) !== 1) return;
  await typeQuery(page, query);
  if (await waitForResults(page, 'file://…/index.html', expect, absent, `typing ${JSON.stringify(query)} offline`)) {
    ok('search works from file:// (no server, no fetch)');
  }
}

// ---------------------------------------------------------------- the crawl

const ASSET_TAGS = new Set(['script', 'img', 'link', 'source', 'iframe', 'video', 'audio', 'embed', 'object', 'track', 'input']);

/** Every href, src, srcset, action, data and poster attribute on the page, with the element it is on. */
function collectLinks() {
  const out = [];
  for (const el of document.querySelectorAll('[href], [src], [srcset], form[action], [data], [poster]')) {
    const tag = el.localName;
    for (const attr of ['href', 'src', 'action', 'data', 'poster']) {
      const raw = el.getAttribute(attr);
      if (raw !== null) out.push({ tag, attr, raw, rel: el.getAttribute('rel') ?? '' });
    }
    const srcset = el.getAttribute('srcset');
    if (srcset) {
      for (const part of srcset.split(',')) {
        const raw = part.trim().split(/\s+/)[0];
        if (raw) out.push({ tag, attr: 'srcset', raw, rel: '' });
      }
    }
  }
  const base = document.querySelector('base[href]')?.getAttribute('href') ?? null;
  const ids = [...document.querySelectorAll('[id]')].map((el) => el.id);
  const names = [...document.querySelectorAll('a[name]')].map((el) => el.getAttribute('name'));
  return { links: out, base, anchors: [...ids, ...names] };
}

/** What a script can see of accessibility; each problem a string. */
function accessibility() {
  const problems = [];
  const text = (el) => (el?.textContent ?? '').replace(/\s+/g, ' ').trim();
  const lang = document.documentElement.getAttribute('lang');
  if (!lang?.trim()) problems.push('<html> has no lang');
  if (!document.title.trim()) problems.push('no <title>');
  const h1s = document.querySelectorAll('h1');
  if (h1s.length !== 1) problems.push(`${h1s.length} <h1> elements, expected exactly one${h1s.length ? ': ' + [...h1s].map((h) => JSON.stringify(text(h))).join(', ') : ''}`);
  let previous = 0;
  for (const h of document.querySelectorAll('h1, h2, h3, h4, h5, h6')) {
    const level = Number(h.localName[1]);
    if (level > previous + 1) {
      problems.push(`heading <${h.localName}> ${JSON.stringify(text(h).slice(0, 60))} skips a level (after ${previous ? `<h${previous}>` : 'no heading'})`);
    }
    previous = level;
  }
  const mains = document.querySelectorAll('main, [role="main"]');
  if (mains.length !== 1) problems.push(`${mains.length} <main> landmarks, expected one`);
  const named = (el) => {
    if (el.getAttribute('aria-label')?.trim()) return true;
    const by = el.getAttribute('aria-labelledby');
    if (by && by.split(/\s+/).some((id) => text(document.getElementById(id)))) return true;
    return false;
  };
  for (const el of document.querySelectorAll('input, select, textarea')) {
    const type = (el.getAttribute('type') ?? '').toLowerCase();
    if (['hidden', 'submit', 'reset', 'button', 'image'].includes(type)) continue;
    const labelled = [...(el.labels ?? [])].some((l) => text(l)) || named(el);
    if (!labelled) problems.push(`form control <${el.localName}${el.id ? ` id="${el.id}"` : ''}${el.name ? ` name="${el.name}"` : ''}> has no label`);
  }
  for (const el of document.querySelectorAll('button, input[type="submit"], input[type="button"], input[type="reset"]')) {
    const name = el.localName === 'button' ? text(el) || el.querySelector('img[alt]')?.alt : el.value || el.type;
    if (!name && !named(el) && !el.title) problems.push(`button without a name: ${el.outerHTML.slice(0, 80)}`);
  }
  for (const a of document.querySelectorAll('a[href]')) {
    const name = text(a) || [...a.querySelectorAll('img[alt]')].map((i) => i.alt).join('') || a.title;
    if (!name && !named(a)) problems.push(`link without text: ${a.outerHTML.slice(0, 80)}`);
  }
  for (const img of document.querySelectorAll('img:not([alt])')) problems.push(`<img> without alt: ${img.outerHTML.slice(0, 80)}`);
  const seen = new Set();
  for (const el of document.querySelectorAll('[id]')) {
    if (seen.has(el.id)) problems.push(`duplicate id="${el.id}"`);
    seen.add(el.id);
  }
  return problems;
}

/** Crawls from index.html; checks each link; returns the HTML pages reached. */
async function crawl(page, origin, plan) {
  const site = (url) => decodeURIComponent(new URL(url).pathname).slice(1);
  const queue = [`${origin}/index.html`];
  const pages = new Set(queue);
  const status = new Map(); // url without fragment → {status, type, body}
  let links = 0;
  const httpLinks = new Set();

  const get = async (url) => {
    if (!status.has(url)) {
      const res = await fetch(url);
      status.set(url, { status: res.status, type: res.headers.get('content-type') ?? '', body: await res.text() });
    }
    return status.get(url);
  };

  // Checks one link found at `from` (a site path); enqueues HTML pages.
  const check = async (from, link, baseUrl, anchors) => {
    links += 1;
    const { tag, attr, raw, rel } = link;
    const show = `<${tag} ${attr}="${raw}">`;
    const trimmed = raw.trim();
    if (trimmed === '') return fail(from, `${show}: empty ${attr}`);
    if (/^javascript:/i.test(trimmed)) return fail(from, `${show}: javascript: link`);
    if (/^(mailto|tel):/i.test(trimmed)) return;
    if (trimmed.startsWith('#')) {
      const id = decodeURIComponent(trimmed.slice(1));
      if (id && !anchors.includes(id)) fail(from, `${show}: no element with id="${id}" on the page`);
      return;
    }
    const isAsset = ASSET_TAGS.has(tag) && !(tag === 'link' && /\b(alternate|canonical|license|author|help|next|prev)\b/i.test(rel));
    if (/^[a-z][a-z0-9+.-]*:/i.test(trimmed) || trimmed.startsWith('//')) {
      const url = new URL(trimmed, baseUrl);
      if (url.origin === origin) return fail(from, `${show}: an absolute link to the test server`);
      if (url.protocol === 'data:' && isAsset) return;
      if (isAsset) return fail(from, `${show}: an external asset (the site must work offline)`);
      if (url.protocol !== 'https:') {
        if (plan.http === 'note') httpLinks.add(url.href);
        else fail(from, `${show}: an external link that is not https`);
      }
      return;
    }
    if (trimmed.startsWith('/')) {
      fail(from, `${show}: root-absolute; the site must work from any folder and from file://, so links must be relative`);
    } else {
      // A relative path that climbs above the site root resolves silently to the root: catch it.
      const probe = new URL(trimmed, new URL(from, 'http://probe/__site__/'));
      if (!probe.pathname.startsWith('/__site__/')) return fail(from, `${show}: climbs out of the site folder`);
    }
    const url = new URL(trimmed, baseUrl);
    const fragment = url.hash ? decodeURIComponent(url.hash.slice(1)) : '';
    url.hash = '';
    if (url.search && url.pathname !== '/index.html') fail(from, `${show}: a query string on a static file`);
    url.search = '';
    const target = await get(url.href);
    if (target.status !== 200) return fail(from, `${show} → ${site(url.href)}: HTTP ${target.status}`);
    const isHtml = target.type.startsWith('text/html');
    if (fragment && isHtml && !new RegExp(`\\s(id|name)=["']?${fragment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}["'\\s>]`).test(target.body)) {
      fail(from, `${show}: ${site(url.href)} has no id="${fragment}"`);
    }
    if (isHtml && !pages.has(url.href)) {
      pages.add(url.href);
      queue.push(url.href);
    }
  };

  while (queue.length) {
    const url = queue.shift();
    const from = site(url);
    const res = await page.goto(url);
    if (res?.status() !== 200) {
      fail(from, `HTTP ${res?.status()}`);
      continue;
    }
    const { links: found, base, anchors } = await page.evaluate(collectLinks);
    const baseUrl = base ? new URL(base, url).href : url;
    if (base) fail(from, `<base href="${base}">: relative links then depend on it; better without`);
    for (const problem of await page.evaluate(accessibility)) fail(from, problem);
    await checkNoInjectedElements(page, from);
    for (const link of found) await check(from, link, baseUrl, anchors);
    if (new RegExp(`^${FOLDER}/[^/]+\\.html$`).test(from)) {
      // A practice page shows its own source file, front matter and all, and links to it.
      if (!found.some((l) => l.tag === 'a' && l.raw === '#source')) fail(from, 'no link to its source file (#source)');
      const shown = await page.evaluate(() => document.querySelector('details#source pre')?.textContent ?? '');
      if (!shown.startsWith('---')) fail(from, 'its source file is not shown (details#source pre with the front matter)');
    }
  }

  // The feed: Atom, with entries whose links resolve.
  const feedUrl = `${origin}/feed.xml`;
  const feed = await get(feedUrl);
  if (feed.status !== 200) {
    fail('feed.xml', `HTTP ${feed.status}`);
  } else {
    const parsed = await page.evaluate((xml) => {
      const doc = new DOMParser().parseFromString(xml, 'application/xml');
      const err = doc.querySelector('parsererror');
      if (err) return { error: err.textContent.slice(0, 200) };
      const root = doc.documentElement;
      const atom = 'http://www.w3.org/2005/Atom';
      const kids = (el, name) => [...el.children].filter((c) => c.localName === name && c.namespaceURI === atom);
      const links = [...doc.getElementsByTagNameNS(atom, 'link')].map((l) => {
        let base = null;
        for (let el = l; el && el.nodeType === 1; el = el.parentNode) {
          base ??= el.getAttributeNS('http://www.w3.org/XML/1998/namespace', 'base');
        }
        return { raw: l.getAttribute('href'), base, rel: l.getAttribute('rel') ?? 'alternate' };
      });
      const entries = kids(root, 'entry').map((e) => ({
        title: kids(e, 'title')[0]?.textContent ?? null,
        id: kids(e, 'id')[0]?.textContent ?? null,
        updated: kids(e, 'updated')[0]?.textContent ?? null,
        href: kids(e, 'link')[0]?.getAttribute('href') ?? null,
      }));
      return {
        root: root.localName,
        ns: root.namespaceURI,
        title: kids(root, 'title')[0]?.textContent ?? null,
        id: kids(root, 'id')[0]?.textContent ?? null,
        updated: kids(root, 'updated')[0]?.textContent ?? null,
        links,
        entries,
      };
    }, feed.body);
    if (parsed.error) {
      fail('feed.xml', `not well-formed XML: ${parsed.error}`);
    } else {
      if (parsed.root !== 'feed' || parsed.ns !== 'http://www.w3.org/2005/Atom') fail('feed.xml', `root <${parsed.root}> in ${parsed.ns}, not an Atom <feed>`);
      if (!feed.type.includes('xml')) fail('feed.xml', `served as ${feed.type}`);
      for (const k of ['title', 'id', 'updated']) if (!parsed[k]) fail('feed.xml', `the feed has no <${k}>`);
      if (parsed.entries.length === 0) fail('feed.xml', 'no entries');
      for (const [i, e] of parsed.entries.entries()) {
        for (const k of ['title', 'id', 'updated', 'href']) if (!e[k]) fail('feed.xml', `entry ${i + 1} (${e.title}) has no ${k === 'href' ? '<link href>' : `<${k}>`}`);
        if (e.updated && Number.isNaN(Date.parse(e.updated))) fail('feed.xml', `entry ${i + 1} <updated>${e.updated}</updated> is not a date`);
      }
      const tricky = parsed.entries.find((e) => e.href?.includes(`${plan.escaped.slug}.html`));
      if (!tricky) fail('feed.xml', `no entry links to ${FOLDER}/${plan.escaped.slug}.html`);
      else if (tricky.title !== plan.escaped.title) fail('feed.xml', `entry title ${JSON.stringify(tricky.title)}, not ${JSON.stringify(plan.escaped.title)}`);
      for (const l of parsed.links) {
        const base = l.base ? new URL(l.base, feedUrl).href : feedUrl;
        await check('feed.xml', { tag: 'link', attr: 'href', raw: l.raw ?? '', rel: 'alternate' }, base, []);
      }
      ok(`feed.xml: Atom, ${parsed.entries.length} entries`);
    }
  }

  const reached = new Set([...pages].map(site));
  for (const p of plan.pages) if (!reached.has(p)) fail('crawl', `${p} is not reachable from index.html`);
  ok(`crawled ${pages.size} pages from index.html and feed.xml, ${links} links`);
  if (httpLinks.size) console.log(`site.mjs note: ${httpLinks.size} external links are http:, not https:`);
  return new Set([...reached, ...[...status.keys()].map(site)]);
}

/** Files of the site that no page, script or the feed leads to: a note, not a failure. */
function unlinked(dir, reached) {
  const all = [];
  const walk = (rel) => {
    for (const entry of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const child = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(child);
      else if (!entry.name.startsWith('.')) all.push(child);
    }
  };
  walk('');
  return all.filter((f) => !reached.has(f) && f !== 'feed.xml').sort();
}

// ---------------------------------------------------------------- screenshots

async function screenshots(page, origin, plan, dir) {
  fs.mkdirSync(dir, { recursive: true });
  const shots = [];
  const shoot = async (name, url, prepare) => {
    for (const [suffix, viewport] of [['', { width: 1280, height: 800 }], ['-phone', { width: 375, height: 812 }]]) {
      await page.setViewportSize(viewport);
      await page.goto(url);
      if (prepare) await prepare();
      if (suffix) {
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        if (overflow > 1) fail(`${new URL(url).pathname.slice(1)} at 375px`, `the page scrolls sideways by ${overflow}px on a phone`);
      }
      const file = path.join(dir, `${name}${suffix}.png`);
      await page.screenshot({ path: file, fullPage: true });
      shots.push(file);
    }
  };
  await shoot('home', `${origin}/index.html`, async () => {
    if ((await page.locator('#search-input').count()) === 1) {
      await typeQuery(page, plan.search.query);
      await page.waitForTimeout(300);
    }
  });
  await shoot('practice', `${origin}/${FOLDER}/${plan.screenshot}.html`);
  await page.setViewportSize({ width: 1280, height: 800 });
  return shots;
}

// ---------------------------------------------------------------- main

async function main() {
  const [siteArg, shotArg, planArg] = process.argv.slice(2);
  if (!siteArg || !shotArg) usage('SITE_DIR and SCREENSHOT_DIR are required');
  const site = fs.realpathSync(path.resolve(siteArg));
  if (!fs.existsSync(path.join(site, 'index.html'))) usage(`${site} has no index.html`);
  let plan = DEFAULT_PLAN;
  if (planArg) {
    try {
      plan = { ...DEFAULT_PLAN, ...JSON.parse(planArg) };
    } catch (e) {
      usage(`PLAN_JSON: ${e.message}`);
    }
  }
  FOLDER = plan.folder;
  const executablePath = process.env.MKN_CHROMIUM || '/usr/bin/chromium';
  if (!fs.existsSync(executablePath)) {
    console.error(`site.mjs: no browser at ${executablePath}: apt-get install chromium`);
    process.exit(2);
  }

  const watchdog = setTimeout(() => {
    console.error(`site.mjs: still running after ${WATCHDOG / 1000}s; giving up`);
    report();
    process.exit(1);
  }, WATCHDOG);
  watchdog.unref();

  const { server, origin } = await serve(site);
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'mkn-browser-'));
  let context;
  let shots = [];
  try {
    await checkServer(origin);
    context = await chromium.launchPersistentContext(profile, {
      executablePath,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: { width: 1280, height: 800 },
      locale: 'en-CA',
      serviceWorkers: 'block',
    });
    console.log(`site.mjs: serving ${site} at ${origin}; ${executablePath} ${context.browser()?.version() ?? ''}`.trim());
    for (const p of context.pages()) await p.close();
    const page = await watchedPage(context, origin);
    await checkHome(page, origin, plan);
    await checkNavigation(page, origin, plan);
    await checkOffline(page, site, plan);
    const reached = await crawl(page, origin, plan);
    const orphans = unlinked(site, reached);
    if (orphans.length) console.log(`site.mjs note: ${orphans.length} files that no link leads to: ${orphans.join(', ')}`);
    shots = await screenshots(page, origin, plan, path.resolve(shotArg));
  } catch (e) {
    fail('site.mjs', `stopped: ${e.stack ?? e}`);
  } finally {
    await context?.close().catch(() => {});
    server.close();
    fs.rmSync(profile, { recursive: true, force: true });
  }
  for (const s of shots) console.log(`site.mjs screenshot ${s}`);
  report();
  process.exit(failures.length ? 1 : 0);
}

function report() {
  const unique = [...new Set(failures)];
  if (unique.length) {
    console.log(`site.mjs: ${unique.length} problem${unique.length === 1 ? '' : 's'} in the site:`);
    for (const f of unique) console.log(`site.mjs FAIL ${f}`);
  }
  console.log(`site.mjs: ${passed.length} checks ok, ${unique.length} problems`);
}

await main();
