"""Every message exists in every language, with the same parameters."""

import string

import pytest

from grader.core import i18n


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_every_key_in_every_language():
    """Does every catalogue have exactly the keys of the English one?"""
    english = set(i18n.catalogue("en"))
    for lang in i18n.LANGUAGES:
        assert set(i18n.catalogue(lang)) == english, lang


@pytest.mark.parametrize("lang", [lang for lang in i18n.LANGUAGES if lang != "en"])
def test_same_placeholders(lang):
    """Does each translation use the same {parameters} as the English message?"""
    english = i18n.catalogue("en")
    for key, template in i18n.catalogue(lang).items():
        assert placeholders(template) == placeholders(english[key]), key


def test_language_resolution(monkeypatch):
    """Is the language taken from --lang, then NNLINGS_LANG, then the locale, then English?"""
    for var in ("NNLINGS_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(var, raising=False)
    assert i18n.resolve_lang() == "en"
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    assert i18n.resolve_lang() == "zh"
    monkeypatch.setenv("NNLINGS_LANG", "en")
    assert i18n.resolve_lang() == "en"
    assert i18n.resolve_lang("zh-Hans") == "zh"
    assert i18n.resolve_lang("klingon") == "en"


def test_missing_key_is_an_error():
    """Is an unknown message key a loud error rather than a blank line?"""
    with pytest.raises(KeyError):
        i18n.t("no.such.key")
