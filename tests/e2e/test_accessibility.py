"""WCAG 2.1 AA in a real browser: every page of every role, checked by axe-core and the
Nu Html Checker, at a 320 px wide window (reflow, WCAG 1.4.10).

One test per role (so that the suite's two processes share the walk), each with one
Chromium and one walk over the pages of page_walk.py as that role's demo user: each page
is opened at 320 × 640 px, axe-core (node_modules/axe-core, installed by ``make install``
from package-lock.json) is run in it, the page must not scroll sideways, and the HTML the
server sent is saved. The Nu Html Checker (node_modules/vnu-jar) then checks the saved
pages in one run on the machine's Java. Any axe violation, page wider than the window, or
checker error fails the test; the counts are printed.

axe is given to the browser once per walk as an init script, which Chromium runs in every
document it loads: injecting it as a script tag sent its 550 KB over the protocol for each
page, a third of the walk's time.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import time
from pathlib import Path

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page, sync_playwright

from motverka.accounts.models import Role
from tests.e2e.browser import CHROMIUM_ARGS, chromium_path
from tests.e2e.page_walk import ROLE_USERS, build_walk_data, page_urls
from tests.second_factor import SecondFactorClient

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
WIDTH = 320

#: Runs axe over the whole document; the answer is made small enough to pass back.
AXE_RUN = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    targets: v.nodes.slice(0, 3).map(n => n.target.join(" "))
  }));
}"""
#: How far the page reaches beyond the window, and the widest element that does it.
OVERFLOW = """() => {
  const width = document.documentElement.clientWidth;
  let widest = null, right = width;
  for (const element of document.body.querySelectorAll("*")) {
    const box = element.getBoundingClientRect();
    if (box.right > right + 1 && getComputedStyle(element).position !== "fixed") {
      const inScroller = element.parentElement && element.parentElement.closest(".scroll");
      if (!inScroller) { right = box.right; widest = element.tagName.toLowerCase() +
        (element.id ? "#" + element.id : "") +
        (element.className && typeof element.className === "string"
          ? "." + element.className.trim().split(/\\s+/).join(".") : ""); }
    }
  }
  return {scroll: document.documentElement.scrollWidth - width, widest: widest};
}"""


def _require_checkers() -> None:
    missing = [str(path.relative_to(ROOT)) for path in (AXE, VNU) if not path.exists()]
    assert not missing, f"{missing} saknas: kör `make install` (npm ci)"
    assert shutil.which("java"), "java saknas: Nu Html Checker körs med maskinens Java"


def _session_cookie(user, base_url: str) -> dict:
    client = SecondFactorClient()
    client.force_login(user)
    return {"name": "sessionid", "value": client.cookies["sessionid"].value, "url": base_url}


def _check_page(page: Page, findings: list[str], where: str) -> int:
    violations = page.evaluate(AXE_RUN)
    for violation in violations:
        findings.append(
            f"axe {violation['id']} ({violation['impact']}) på {where}: "
            f"{violation['help']} – {', '.join(violation['targets'])}"
        )
    overflow = page.evaluate(OVERFLOW)
    if overflow["scroll"] > 0:
        findings.append(
            f"bredare än {WIDTH} px på {where}: {overflow['scroll']} px för mycket "
            f"({overflow['widest']})"
        )
    return len(violations)


def _open(page: Page, url: str):
    """Open ``url``; again, after letting the page settle, if Chromium reports the
    navigation interrupted (seen under load and after a download, when the test server's
    thread answers late), at most three times."""
    for attempt in range(3):
        try:
            return page.goto(url)
        except PlaywrightError as error:
            if "interrupted by another navigation" not in error.message or attempt == 2:
                raise
            page.wait_for_timeout(500)
            try:
                page.wait_for_load_state("load")
            except PlaywrightError:
                pass
    return None


def _run_vnu(directory: Path) -> tuple[list[str], int]:
    completed = subprocess.run(  # noqa: S603 - fixed arguments, files we wrote
        [
            shutil.which("java") or "java",
            "-Xss8m",
            "-jar",
            str(VNU),
            "--format",
            "json",
            "--exit-zero-always",
            "--skip-non-html",
            str(directory),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    messages = json.loads(completed.stderr or '{"messages": []}')["messages"]
    errors, warnings = [], 0
    for message in messages:
        if message.get("type") in {"error", "non-document-error"}:
            name = Path(message.get("url", "")).name
            errors.append(
                f"vnu {name}:{message.get('lastLine', '?')}: {message.get('message')} "
                f"[{message.get('extract', '').strip()[:80]}]"
            )
        else:
            warnings += 1
    return errors, warnings


#: The fewest pages each role's walk must check: 52, 52, 56, 60 and 60 pages when this was
#: written, less a small margin for a page that a change turns into a redirect.
MINIMUM_PAGES = {
    Role.CASE_WORKER: 48,
    Role.UNIT_MANAGER: 48,
    Role.ANALYST: 50,
    Role.ADMINISTRATOR: 55,
    Role.ARCHIVIST: 55,
}


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("role", list(ROLE_USERS))
def test_every_page_of_the_role_passes_axe_and_the_html_checker(
    role, live_server, tmp_path, capsys
):
    _require_checkers()
    started = time.monotonic()
    data = build_walk_data()
    user = data.users[role]
    findings: list[str] = []
    pages = axe_violations = 0
    seen: set[str] = set()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        try:
            # Running axe needs a script of its own, which the site's policy forbids.
            context = browser.new_context(
                bypass_csp=True,
                locale="sv-SE",
                timezone_id="Europe/Stockholm",
                viewport={"width": WIDTH, "height": 640},
            )
            context.add_init_script(path=str(AXE))
            context.add_cookies([_session_cookie(user, live_server.url)])
            page = context.new_page()
            page.set_default_timeout(20_000)
            for name, path in page_urls(data, user):
                try:
                    response = _open(page, live_server.url + path)
                except PlaywrightError as error:
                    # Chromium shows no page for an empty answer (a POST-only URL's 405)
                    # or a download (a PDF). Anything else is a finding.
                    answer = context.request.get(live_server.url + path)
                    kind = answer.headers.get("content-type", "")
                    if answer.status != 405 and kind.startswith("text/html"):
                        findings.append(f"{answer.status} utan sida på {name}: {error.message}")
                    continue
                assert response is not None
                if response.status >= 500:
                    findings.append(f"{response.status} på {name}")
                kind = response.headers.get("content-type", "")
                final = page.url.removeprefix(live_server.url)
                if not kind.startswith("text/html") or final in seen:
                    continue
                seen.add(final)
                body = response.text()
                if not body.strip():
                    continue
                pages += 1
                where = f"{final} ({name}, {role}, {response.status})"
                axe_violations += _check_page(page, findings, where)
                (tmp_path / f"{pages:03d}-{name}.html").write_text(body, encoding="utf-8")
            context.close()
        finally:
            browser.close()
    walked = time.monotonic() - started
    vnu_errors, vnu_warnings = _run_vnu(tmp_path)
    findings += vnu_errors
    with capsys.disabled():
        print(
            f"\nTillgänglighetsvandring som {role}: {pages} sidor, {axe_violations} "
            f"axe-överträdelser, {len(vnu_errors)} fel och {vnu_warnings} varningar från Nu "
            f"Html Checker; {walked:.0f} s vandring, "
            f"{time.monotonic() - started - walked:.0f} s kontroll."
        )
    assert pages >= MINIMUM_PAGES[role], f"bara {pages} sidor som {role}"
    assert findings == [], "\n".join(findings)
