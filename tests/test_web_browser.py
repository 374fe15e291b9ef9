"""The web explorer in a real headless Chromium driven by Playwright: every route renders without a console error,
a reader clicks from search to an entity to the source line, the path through Tregem is drawn, forms refuse
impossible values, and hostile names run nothing. Layout is looked at in screenshots at 1400×900 and phone width
(SOYAKU_SCREENSHOTS=docs/img refreshes the documentation's).

Needs /usr/bin/chromium (Debian; scripts/install-chromium); Playwright drives it, no browser is downloaded: one per test
worker, the `browser` fixture of tests/conftest.py.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from urllib.parse import quote

import pytest

pytestmark = pytest.mark.browser  # the `browser` fixture (tests/conftest.py) skips where Chromium is missing

ROUTES = ["/", "/search?q=UTEK", "/entity/su-tregem-biopharma", "/document/doc-004#L230",
          "/path?from=Tregem&to=UTEK", "/query/ministry-totals?fiscal_year=2025", "/money",
          "/money?fiscal_year=2022&budget_type=supplementary", "/network", "/cypher?q=MATCH+(n:Ministry)+RETURN+n&view=graph"]
PATH = ("/path?from=" + quote("橋渡し研究支援プログラム") + "&to=" + quote("創薬ベンチャーエコシステム強化事業")
        + "&via=Startup")


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 900}, locale="en-GB")
    tab = context.new_page()
    tab.errors = []  # type: ignore[attr-defined]
    tab.on("console", lambda m: tab.errors.append(m.text) if m.type == "error" else None)
    tab.on("pageerror", lambda e: tab.errors.append(str(e)))
    yield tab
    context.close()


def shoot(tab, name: str) -> None:
    target = os.environ.get("SOYAKU_SCREENSHOTS")
    if target:
        tab.screenshot(path=str(Path(target) / f"web-{name}.png"))


@pytest.mark.parametrize("route", ROUTES)
def test_each_route_renders_without_a_console_error(page, web_url, route):
    response = page.goto(web_url + route)
    assert response.status == 200
    page.wait_for_function("document.body && (document.body.dataset.ready === '1' || document.title.length > 0)")
    if page.locator("[data-network]").count():
        page.wait_for_selector("[data-network][data-ready='1']", timeout=30_000)
    assert page.errors == [], page.errors


def test_search_then_entity_then_the_source_line(page, web_url):
    page.goto(web_url + "/")
    box = page.get_by_label("Search by name, alias, id or identifier")
    box.fill("tregem")
    page.wait_for_selector("#home-q-list li")
    box.press("ArrowDown")
    box.press("Enter")
    page.wait_for_url("**/entity/su-tregem-biopharma")
    assert "トレジェムバイオファーマ株式会社" in page.locator("h1").inner_text()
    page.locator("a[href='/document/doc-004#L230']").first.click()
    page.wait_for_url("**/document/doc-004#L230")
    line = page.locator("#L230")
    assert "(JIC-VGI)" in line.inner_text()
    assert line.evaluate("el => el.matches(':target') && getComputedStyle(el).backgroundColor") != "rgba(0, 0, 0, 0)"
    assert line.is_visible() and page.errors == []
    shoot(page, "document")


def test_the_path_through_tregem_is_listed_and_drawn(page, web_url):
    page.goto(web_url + PATH)
    page.wait_for_selector("#path-network[data-ready='1']", timeout=30_000)
    assert page.locator("ol.hops a[href='/entity/su-tregem-biopharma']").count() >= 1
    assert page.locator("#path-network canvas").count() == 1
    shoot(page, "path")


def test_query_form_offers_only_possible_values_and_the_server_refuses_others(page, web_url):
    page.goto(web_url + "/query/ministry-totals")
    values = page.locator("#f-budget_type option").evaluate_all("os => os.map(o => o.value)")
    assert values == ["", "initial", "request", "supplementary"] or set(values) <= {"", "initial", "supplementary", "request"}
    page.select_option("#f-fiscal_year", "2025")
    page.get_by_role("button", name="Run").click()
    page.wait_for_url("**fiscal_year=2025**")
    assert page.locator("table.answer tbody tr").count() >= 1
    refused = page.goto(web_url + "/query/ministry-totals?fiscal_year=3000")
    assert refused.status == 400 and "is not a value this query allows" in page.locator(".error").inner_text()
    shoot(page, "query-refused")


def test_hostile_names_run_nothing(page, web_url):
    hostile = "</script><img src=x onerror=window.pwned=1>\u202eevil\u200b"
    q = f"RETURN {{id: 'x1', labels: ['Startup'], name: {json.dumps(hostile)}}} AS n"
    page.goto(web_url + "/cypher?view=graph&q=" + quote(q))
    page.wait_for_selector("[data-network][data-ready='1']", timeout=30_000)
    page.goto(web_url + "/search?q=" + quote(hostile))
    box = page.locator("#site-q")
    box.fill(hostile)
    page.wait_for_timeout(600)
    assert page.evaluate("window.pwned") is None
    assert page.locator("img[src='x']").count() == 0


@pytest.mark.parametrize("width, height", [(1400, 900), (390, 844)])
def test_pages_fit_the_window(browser, web_url, width, height):
    context = browser.new_context(viewport={"width": width, "height": height})
    tab = context.new_page()
    for name, route in (("home", "/"), ("entity", "/entity/su-tregem-biopharma"), ("money", "/money")):
        tab.goto(web_url + route)
        overflow = tab.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 1, f"{route} is {overflow}px wider than a {width}px window"
        shoot(tab, f"{name}-{width}")
    context.close()


def test_japanese_english_switch(page, web_url):
    page.goto(web_url + "/entity/su-tregem-biopharma")
    page.get_by_role("link", name="日本語").click()
    page.wait_for_url("**/entity/su-tregem-biopharma")
    assert page.locator("html").get_attribute("lang") == "ja" and "関係（事実）" in page.content()
    page.get_by_role("link", name="English").click()
    assert page.locator("html").get_attribute("lang") == "en"
