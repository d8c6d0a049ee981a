"""A person logs in through the browser and switches the language."""

from playwright.sync_api import expect


def test_a_user_logs_in_and_switches_to_english(page, live_server, user_in_browser):
    user_in_browser(page, "archivist")
    assert page.locator("header .who").inner_text().count("archivist-user") == 1
    page.click("header .who >> text=EN")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.click("header .who >> text=VI")
    expect(page.locator("html")).to_have_attribute("lang", "vi")
