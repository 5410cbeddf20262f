"""The main pages in a real browser at every width from 320 to 1280 px, signed
out and signed in, in French and English: nothing scrolls sideways, no two
header controls overlap, the site name shows; every target can be hit with a
thumb and every input shows where the focus is.

Kept fast on purpose: one browser per test, one page per role and
language reused across URLs, `set_viewport_size` per width, and everything
measured in one `page.evaluate` per (page, width). Pages carry what breaks
layouts (frontend.tests.sample_content.build_layout_stress): long titles and
French words, a bare URL, a code block, a hidden answer seen by its author,
the notices that come with it, a review queue and a journal.
"""

import pytest

from frontend.tests.sample_content import build_layout_stress
from tests.support.browser import chromium_browser, session_cookie
from tests.support.server import ServerProcess

pytestmark = [pytest.mark.browser, pytest.mark.server]

WIDTHS = (320, 360, 390, 414, 480, 600, 768, 1024, 1280)
LANGUAGES = ("fr", "en")

# One script per (page, width): horizontal overflow, header controls that
# overlap or leave the screen, and whether the site name is readable.
MEASURE_LAYOUT = """() => {
  const vw = window.innerWidth;
  const visible = (e) => {
    const r = e.getBoundingClientRect();
    return r.width > 0 && r.height > 0 && getComputedStyle(e).visibility !== "hidden";
  };
  // The search form is one control (its button sits inside the input on purpose);
  // controls inside a closed or open menu panel are not part of the bar.
  const controls = [...document.querySelectorAll(
    ".site-header a, .site-header button:not(.site-search__button), .site-header summary, .site-header .site-search"
  )].filter((e) => visible(e) && !e.closest(".menu__panel"));
  const top = controls.filter((e) => !controls.some((o) => o !== e && o.contains(e)));
  const boxes = top.map((e) => ({ name: e.className || e.tagName, r: e.getBoundingClientRect() }));
  const overlaps = [];
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length; j++) {
      const a = boxes[i].r, b = boxes[j].r;
      if (a.left < b.right - 0.5 && b.left < a.right - 0.5 && a.top < b.bottom - 0.5 && b.top < a.bottom - 0.5) {
        overlaps.push(boxes[i].name + " / " + boxes[j].name);
      }
    }
  }
  const offScreen = boxes.filter((b) => b.r.left < -0.5 || b.r.right > vw + 0.5).map((b) => b.name);
  const name = document.querySelector(".brand__name");
  const search = document.querySelector("#site-search");
  // Wider than the page: name the culprits, deepest first, to make a failure useful.
  const overflow = document.documentElement.scrollWidth - vw;
  const wide = overflow <= 0 ? [] : [...document.querySelectorAll("body *")]
    .filter((e) => visible(e) && e.getBoundingClientRect().right > vw + 0.5)
    .slice(-3).map((e) => e.tagName + "." + [...e.classList].join("."));
  return {
    overflow,
    wide,
    overlaps,
    offScreen,
    nameShown: !!name && visible(name) && name.scrollWidth <= name.clientWidth + 1,
    search: search ? search.getBoundingClientRect().width : 0,
  };
}"""

# WCAG 2.2 2.5.8: at least 24x24 px, unless a 24 px circle centred on the target
# meets no other target, or the target is a link inside a sentence. The primary
# controls must reach 44x44 px (2.5.5).
PRIMARY = [
    ".site-header a",
    ".site-header button",
    ".site-header summary",
    ".vote",
    "[data-accept]",
    ".answer-form button[type=submit]",
    ".question-form button[type=submit]",
    ".auth-form button[type=submit]",
    "a.tag",
]
MEASURE_TARGETS = """(primary) => {
  const visible = (e) => {
    const r = e.getBoundingClientRect();
    const style = getComputedStyle(e);
    return r.width > 0 && r.height > 0 && style.visibility !== "hidden" && style.opacity !== "0"
      && !e.closest("details:not([open]) > :not(summary)") && !e.closest(".visually-hidden, [aria-hidden=true]");
  };
  const all = [...document.querySelectorAll(
    "a[href], button, input:not([type=hidden]), select, textarea, summary, [role=button]"
  )].filter(visible);
  // A control inside another one (a link in a summary) counts as one target.
  const targets = all.filter((e) => !all.some((o) => o !== e && o.contains(e)));
  const rects = targets.map((e) => e.getBoundingClientRect());
  const label = (e) => e.tagName.toLowerCase() + (e.className ? "." + String(e.className).split(" ").join(".") : "")
    + " “" + (e.textContent || e.value || e.name || "").trim().slice(0, 30) + "”";
  const inSentence = (e) => {
    if (e.tagName !== "A") return false;
    const block = e.closest("p, li, dd, td, blockquote, .prose");
    if (!block) return false;
    const text = block.textContent.replace(/\\s+/g, " ").trim();
    const own = e.textContent.replace(/\\s+/g, " ").trim();
    return text.length > own.length + 10 && getComputedStyle(e).display === "inline";
  };
  const spaced = (i) => {
    const r = rects[i];
    const cx = r.left + r.width / 2, cy = r.top + r.height / 2;
    return rects.every((o, j) => {
      if (j === i) return true;
      const dx = Math.max(o.left - cx, 0, cx - o.right), dy = Math.max(o.top - cy, 0, cy - o.bottom);
      const small = o.width < 24 || o.height < 24;
      const ox = o.left + o.width / 2, oy = o.top + o.height / 2;
      return Math.hypot(dx, dy) >= 12 && (!small || Math.hypot(ox - cx, oy - cy) >= 24);
    });
  };
  const tooSmall = [];
  targets.forEach((e, i) => {
    const r = rects[i];
    if (r.width >= 24 - 0.01 && r.height >= 24 - 0.01) return;
    if (inSentence(e) || spaced(i)) return;
    tooSmall.push(label(e) + " " + Math.round(r.width) + "x" + Math.round(r.height));
  });
  const primaryTooSmall = [];
  for (const selector of primary) {
    for (const e of document.querySelectorAll(selector)) {
      if (!visible(e) || e.closest(".menu__panel")) continue;
      const r = e.getBoundingClientRect();
      if (r.width < 44 - 0.01 || r.height < 44 - 0.01) {
        primaryTooSmall.push(selector + " " + label(e) + " " + Math.round(r.width) + "x" + Math.round(r.height));
      }
    }
  }
  return { tooSmall, primaryTooSmall };
}"""

# The focus indicator of each input, focused as the keyboard would (text inputs
# match :focus-visible whatever focused them), against what surrounds it.
MEASURE_FOCUS = """() => {
  const parse = (c) => {
    const m = c.match(/rgba?\\(([^)]+)\\)/);
    if (!m) return null;
    const p = m[1].split(/[ ,/]+/).filter(Boolean).map(Number);
    return { r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1 };
  };
  const over = (fg, bg) => ({
    r: fg.r * fg.a + bg.r * (1 - fg.a), g: fg.g * fg.a + bg.g * (1 - fg.a), b: fg.b * fg.a + bg.b * (1 - fg.a), a: 1,
  });
  const lum = (c) => {
    const ch = [c.r, c.g, c.b].map((v) => {
      v /= 255;
      return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * ch[0] + 0.7152 * ch[1] + 0.0722 * ch[2];
  };
  const ratio = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
  const backdrop = (e) => {
    for (let n = e.parentElement; n; n = n.parentElement) {
      const c = parse(getComputedStyle(n).backgroundColor);
      if (c && c.a > 0) return c;
    }
    return { r: 255, g: 255, b: 255, a: 1 };
  };
  const results = [];
  const inputs = [...document.querySelectorAll(
    "input:not([type=hidden]):not([type=checkbox]):not([type=radio]), select, textarea"
  )].filter((e) => e.getBoundingClientRect().width > 0 && !e.closest("details:not([open])"));
  for (const e of inputs) {
    e.focus();
    const s = getComputedStyle(e);
    const bg = backdrop(e);
    let best = 0;
    if (s.outlineStyle !== "none" && parseFloat(s.outlineWidth) >= 2) {
      best = Math.max(best, ratio(over(parse(s.outlineColor), bg), bg));
    }
    const shadow = s.boxShadow.match(/rgba?\\([^)]+\\)/);
    if (shadow) best = Math.max(best, ratio(over(parse(shadow[0]), bg), bg));
    if (parseFloat(s.borderTopWidth) >= 2) best = Math.max(best, ratio(over(parse(s.borderTopColor), bg), bg));
    results.push({ input: e.name || e.id, ratio: Math.round(best * 100) / 100 });
    e.blur();
  }
  return results;
}"""


@pytest.fixture
def site(transactional_db, tmp_path):
    # Data before the browser calls: Playwright's sync API runs an event loop in
    # this thread, and Django refuses database calls from inside one.
    server = ServerProcess(outbox=tmp_path / "outbox").start()
    stress = build_layout_stress()
    yield (
        server,
        stress,
        {
            None: None,
            "student": session_cookie(stress.student, server.url),
            "moderator": session_cookie(stress.moderator, server.url),
        },
    )
    server.stop()


@pytest.fixture
def browser(site):
    # After `site`: Django refuses database calls (building the data, flushing
    # the test database) while Playwright's event loop runs in this thread.
    with chromium_browser() as browser:
        yield browser


def _pages(stress, role):
    thread = stress.thread.get_absolute_url()
    pages = {
        "home": "/",
        "thread": thread,
        "ask": "/questions/poser/",
        "tag": "/tags/contrat-apprentissage/",
        "profile": f"/membres/{stress.student.username}/",
        "organisation": f"/organisations/{stress.organisation_slug}/",
        # The charter's clause examples and the help page (issue 17): side-by-side
        # examples at desktop widths must stack on phones.
        "charter": "/charte/",
        "help_charter": "/aide/charte-en-pratique/",
    }
    if role == "moderator":
        pages = {"thread": thread, "queue": "/moderation/", "journal": "/moderation/journal/"}
    return pages


def _open(browser, server, cookie, language):
    context = browser.new_context(locale="fr-FR" if language == "fr" else "en-GB")
    context.set_extra_http_headers({"Accept-Language": language})
    if cookie:
        context.add_cookies([cookie])
    return context, context.new_page()


def test_no_page_scrolls_sideways_and_the_header_holds_at_every_width(site, browser):
    server, stress, cookies = site
    failures = []
    for role, cookie in cookies.items():
        for language in LANGUAGES:
            context, page = _open(browser, server, cookie, language)
            for name, path in _pages(stress, role).items():
                page.set_viewport_size({"width": WIDTHS[0], "height": 800})
                response = page.goto(server.url + path)
                assert response.ok, f"{path} ({role}): {response.status}"
                assert page.locator("html").get_attribute("lang") == language
                for width in WIDTHS:
                    page.set_viewport_size({"width": width, "height": 800})
                    result = page.evaluate(MEASURE_LAYOUT)
                    where = f"{name} ({role or 'visitor'}, {language}, {width}px)"
                    if result["overflow"] > 0:
                        failures.append(f"{where}: scrolls sideways by {result['overflow']}px ({result['wide']})")
                    if result["overlaps"]:
                        failures.append(f"{where}: header controls overlap: {result['overlaps']}")
                    if result["offScreen"]:
                        failures.append(f"{where}: header controls off screen: {result['offScreen']}")
                    if not result["nameShown"]:
                        failures.append(f"{where}: the site name is hidden or cut")
                    if result["search"] < 120:
                        failures.append(f"{where}: the search box is {result['search']:.0f}px wide")
            context.close()
    assert not failures, "\n".join(failures)


def test_targets_are_big_enough_for_a_thumb_and_inputs_show_their_focus(site, browser):
    server, stress, cookies = site
    failures = []
    for role, cookie in cookies.items():
        context, page = _open(browser, server, cookie, "fr")
        for name, path in _pages(stress, role).items():
            page.set_viewport_size({"width": 390, "height": 800})
            assert page.goto(server.url + path).ok
            for width in (390, 1280):
                page.set_viewport_size({"width": width, "height": 800})
                where = f"{name} ({role or 'visitor'}, {width}px)"
                targets = page.evaluate(MEASURE_TARGETS, PRIMARY)
                failures += [f"{where}: under 24x24: {t}" for t in targets["tooSmall"]]
                failures += [f"{where}: primary under 44x44: {t}" for t in targets["primaryTooSmall"]]
            # Keyboard first: a Tab moves the focus, so :focus-visible applies.
            page.keyboard.press("Tab")
            for focus in page.evaluate(MEASURE_FOCUS):
                if focus["ratio"] < 3:
                    failures.append(f"{name} ({role or 'visitor'}): focus on {focus['input']} is {focus['ratio']}:1")
        context.close()
    assert not failures, "\n".join(failures)
