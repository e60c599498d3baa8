"""An imported indicator's summary in plain words (catalog.presenters.plain_summary), as the importer
writes summaries (core.formats.dpga.parse)."""

from dpghub.catalog.presenters import PlainLine, plain_evidence, plain_summary


def test_answers_become_questions_and_statements_leave_the_summary():
    summary = "\n".join([
        "uses closed components: No (platformIndependence.isPlatformIndependent, whose meaning is inverted)",
        "clearOwnership.isOwnershipExplicit: Yes",
        "documentation: DHIS2 Documentation covers a broad range of topics",
        "https://docs.dhis2.org/ (the statement runs on)",
        "doNoHarm.some.newQuestionAsked: No",
    ])
    assert plain_summary(summary) == [
        PlainLine(question="Uses closed components", yes=False),
        PlainLine(question="Ownership is stated explicitly", yes=True),
        PlainLine(question="New question asked", yes=False),  # an unknown field: its name in words
    ]


def test_lists_and_tallies_become_sentences_and_other_lines_stay():
    assert plain_summary("SDGs: 3, 4, 17") == [PlainLine(text="SDGs declared: %(items)s", params={"items": "3, 4, 17"})]
    assert plain_summary("Licences: MIT") == [PlainLine(text="Licences declared: %(items)s", params={"items": "MIT"})]
    assert plain_summary("2 of 3 answer(s) true") == [
        PlainLine(text="%(yes)s of %(n)s of the reviewer's answers were yes", params={"yes": 2, "n": 3})]
    assert plain_summary("BSD-3-Clause licence.\n\n") == [PlainLine(text="BSD-3-Clause licence.")]


def test_evidence_loses_its_field_and_repeats():
    evidence = [
        {"text": "See https://a.org/x", "url": "https://a.org/x", "field": "documentation"},
        {"text": "See https://a.org/x", "url": "https://a.org/x", "field": "documentation.url"},
        {"text": "", "url": "https://b.org", "field": "copyrightURL"},
    ]
    assert plain_evidence(evidence) == [{"text": "See https://a.org/x", "url": ""}, {"text": "", "url": "https://b.org"}]
