"""Evidence for indicators 3-9 comes from the project's own files (origin.py), and every case of
issue 12 has a small crafted tree here: a Unity project bundling an SDK with its own licence, test
fixtures naming another owner, a docs page of rule tables, a benchmark corpus, generated files."""

from __future__ import annotations

import json
import re

import jsonschema

from dpghub.core.screening import Report, screen
from dpghub.core.screening.checks.manifests import is_manifest
from dpghub.core.screening.checks.ownership import clean_holder
from dpghub.core.screening.origin import folder_origin, looks_generated, same_owner
from dpghub.core.screening.render import skipped_sentence, to_markdown
from dpghub.core.screening.report import load_schema
from dpghub.core.screening.scan import enclosing_titles, headings
from tests.core.screening.helpers import make_plain, make_repo

OWN_LICENCE = """MIT License

Copyright (c) 2024 Kids Learning Foundation

Permission is hereby granted, free of charge, to any person obtaining a copy
of this software.
"""
README = "# Counting Game\n\nA game that teaches children to count.\n"
SDK_LICENCE = """Copyright \u00a9 Facebook Technologies, LLC and its affiliates. All rights reserved.

Your use of this SDK or tool is subject to the Oculus SDK License Agreement and the Oculus terms of
service, available at https://developer.oculus.com/licenses/oculussdk/.
"""
SDK_DOC = """# Terms of Service

Read the privacy policy before publishing. Developers must follow the GDPR.

## Community

Harassment of other players is forbidden; report a user who harasses you.

## Moderation

Use the moderation tools to report abuse and flag content.
"""
UNITY = {
    "LICENSE": OWN_LICENCE,
    "README.md": README,
    "Packages/manifest.json": json.dumps({"dependencies": {"com.unity.textmeshpro": "3.0.6",
                                                           "com.unity.xr.management": "4.2.0",
                                                           "com.unity.modules.audio": "1.0.0"},
                                          "testables": ["com.unity.test-framework"]}, indent=2),
    "ProjectSettings/ProjectVersion.txt": "m_EditorVersion: 2021.3.5f1\n",
    "Assets/Scripts/Counter.cs": "// Copyright (c) 2024 Kids Learning Foundation\npublic class Counter {}\n",
    "Assets/Oculus/LICENSE.txt": SDK_LICENCE,
    "Assets/Oculus/Docs/README.md": SDK_DOC,
    "Assets/Oculus/VR/Scripts/OVRManager.cs": "// Copyright (c) Facebook Technologies, LLC and its affiliates.\n"
                                              "// Uses OAuth 2.0 and FHIR.\npublic class OVRManager {}\n",
    "Assets/Oculus/package.json": json.dumps({"name": "com.meta.xr.sdk", "dependencies": {"firebase": "1"}}),
}


def statuses(report) -> dict[str, str]:
    return {f.indicator: f.status.value for f in report.findings}


def assert_valid(report) -> None:
    jsonschema.Draft202012Validator(load_schema()).validate(json.loads(report.dumps()))


def test_unity_project_with_a_bundled_sdk_is_read_as_its_own(tmp_path):
    report = screen(str(make_repo(tmp_path / "unity", UNITY)))
    ownership = report.finding("3")
    assert (ownership.status.value, ownership.data["holders"]) == ("met", ["Kids Learning Foundation"])
    assert all(not (e.path or "").startswith("Assets/Oculus/") for f in report.findings for e in f.evidence)
    assert statuses(report)["7"] == statuses(report)["9b"] == statuses(report)["9c"] == "not_found"
    assert report.finding("8").data["standards"] == []
    assert [(s.path, s.reason, s.files) for s in report.skipped] == [("Assets/Oculus/", "third_party", 4)]
    # Unity's package manifest is read, and the engine it names is proprietary: a human looks
    deps = report.finding("4")
    assert deps.data["manifests"] == ["Packages/manifest.json"] and deps.data["ecosystems"] == ["unity"]
    assert (deps.data["direct_dependencies"], deps.data["dev_dependencies"]) == (3, 1)
    assert deps.status.value == "needs_human" and "No dependency manifest" not in deps.explanation
    assert "Assets/Oculus/ (4 files, bundled third-party code)" in to_markdown(report)
    assert_valid(report)
    assert Report.from_json(report.to_json()).skipped == report.skipped


def test_the_same_sdk_pages_count_when_the_folder_is_the_projects(tmp_path):
    """The control: without a licence naming another holder the folder is the project's, and its
    titled policy pages are evidence (so the exclusion above is what removed them)."""
    files = {k: v for k, v in UNITY.items() if k != "Assets/Oculus/LICENSE.txt"}
    report = screen(str(make_plain(tmp_path / "own", files)))
    assert statuses(report)["7"] == statuses(report)["9b"] == statuses(report)["9c"] == "likely_met"
    assert report.skipped == []
    same_holder = {**UNITY, "Assets/Oculus/LICENSE.txt": "Copyright 2023 Kids Learning Foundation contributors\n"}
    assert screen(str(make_plain(tmp_path / "same", same_holder))).skipped == []


def test_test_fixtures_naming_another_owner_are_not_the_owner(tmp_path):
    report = screen(str(make_plain(tmp_path / "fx", {
        "LICENSE": OWN_LICENCE,
        "README.md": README,
        "tests/fixtures/sample/LICENSE": "Copyright (c) 2020 Other Org\n",
        "tests/fixtures/sample/PRIVACY.md": "# Privacy policy\n\nWe follow the GDPR.\n",
        "tests/fixtures/sample/CODE_OF_CONDUCT.md": "# Code of conduct\n\nNo harassment.\n",
        "tests/test_scan.py": 'LICENCE = "Copyright (c) 2021 Example Org\\n"\n',
        "src/pkg/testdata/header.c": "/* Copyright (c) 2019 Fixture Corp */\n",
    })))
    assert report.finding("3").data["holders"] == ["Kids Learning Foundation"]
    assert statuses(report)["7"] == statuses(report)["9c"] == "not_found"
    assert {(s.path, s.reason) for s in report.skipped} == {("tests/", "tests"), ("src/pkg/testdata/", "tests")}
    without_root = screen(str(make_plain(tmp_path / "bare", {
        "README.md": README, "tests/fixtures/LICENSE": "Copyright (c) 2020 Other Org\n"})))
    assert without_root.finding("3").status.value == "not_found"


RULES_PAGE = """# How the screening works

## What each check looks at

| indicator | evidence |
|---|---|
| 7 Privacy | privacy policy and terms of service files, laws named (GDPR, HIPAA) |
| 9a Security | report a vulnerability, security@ addresses |
| 9b Content | moderation policies, "report abuse" processes |
| 9c Harassment | anti-harassment text |
"""


def test_a_docs_page_of_rule_tables_is_not_a_policy(tmp_path):
    report = screen(str(make_plain(tmp_path / "rules", {"README.md": README, "docs/screening.md": RULES_PAGE})))
    assert {i: statuses(report)[i] for i in ("7", "9a", "9b", "9c")} == dict.fromkeys(("7", "9a", "9b", "9c"),
                                                                                       "not_found")


def test_a_page_or_section_titled_as_the_policy_is_one(tmp_path):
    report = screen(str(make_plain(tmp_path / "titled", {
        "README.md": README + "\n## Security\n\nReport vulnerabilities to security@example.org.\n\n"
                              "## About\n\nWe dislike harassment.\n",
        "docs/data-protection.md": "# Data protection\n\nPatient records are handled under the GDPR.\n",
        "docs/guide.md": "# User guide\n\nSee our [privacy policy](https://example.org/legal).\n",
    })))
    privacy = report.finding("7")
    assert privacy.status.value == "likely_met" and privacy.data["laws"] == ["GDPR"]
    assert {e.path for e in privacy.evidence} == {"docs/data-protection.md", "docs/guide.md"}
    assert (report.finding("9a").code, report.finding("9a").evidence[0].line) == ("harm.disclosure_process", 7)
    assert report.finding("9c").status.value == "not_found"  # "harassment" under "About" is not a policy


def test_a_benchmark_corpus_is_not_standards_evidence(tmp_path):
    report = screen(str(make_plain(tmp_path / "bench", {
        "README.md": README,
        "bench/corpus.json": json.dumps([{"name": "dhis2/dhis2-core", "dpg_name": "Android FHIR SDK"}]),
        "bench/run.py": "# Screens FHIR and SNOMED CT servers\n",
        "src/app.py": "# Exchanges data with DHIS2\n",
    })))
    assert report.finding("8").data["standards"] == ["DHIS2"]
    assert [(s.path, s.reason, s.files) for s in report.skipped] == [("bench/", "benchmark", 2)]


def test_generated_and_minified_files_are_not_evidence(tmp_path):
    minified = "var a=" + ",".join(f'"{n}"' for n in range(400)) + ';var s="FHIR OAuth 2.0";\n'
    report = screen(str(make_plain(tmp_path / "gen", {
        "README.md": README,
        "static/app-bundle.js": minified,
        "src/api_pb2.py": "# Generated by the protocol buffer compiler.  DO NOT EDIT!\n# SNOMED CT codes\n",
        "dist/index.html": "<p>Supports HL7 and LOINC.</p>\n",
        "public/pdfjs/pdf.worker.min.mjs": "/**\n * Copyright 2024 Mozilla Foundation\n * OAuth 2.0\n */\n",
        "src/app.py": "# Exchanges data with DHIS2\n",
    })))
    assert report.finding("8").data["standards"] == ["DHIS2"]
    assert {(s.path, s.reason) for s in report.skipped} == {
        ("static/app-bundle.js", "generated"), ("src/api_pb2.py", "generated"), ("dist/", "generated"),
        ("public/pdfjs/pdf.worker.min.mjs", "generated")}
    assert report.finding("3").status.value == "not_found"  # pdf.js's holder is not this project's owner
    assert "generated or minified files" in skipped_sentence(report)
    # a root file is the project's own however it is written (a README on one long line)
    one_line = screen(str(make_plain(tmp_path / "root", {"README.md": "Exchanges data with DHIS2. " + "x" * 2000})))
    assert one_line.finding("8").data["standards"] == ["DHIS2"] and one_line.skipped == []


def test_licence_results_still_read_every_file_but_vendored_ones(tmp_path):
    report = screen(str(make_plain(tmp_path / "lic", {
        "LICENSE": OWN_LICENCE, "tests/fixtures/x.py": "# SPDX-License-Identifier: Apache-2.0\n"})))
    assert "Apache-2.0" in report.licenses.expressions  # a fixture's tag is still licence evidence


# --- every explanation is a sentence for a reviewer --------------------------------------------------

_NOT_PROSE = re.compile(r"\\[nrt]|\(\?|\[\^|\w+_\w+\b(?<!\.md)|[{}]")


def test_explanations_are_sentences_without_codes_or_patterns(tmp_path):
    reports = [screen(str(make_repo(tmp_path / "unity", UNITY))),
               screen(str(make_plain(tmp_path / "noisy", {
                   "README.md": README,
                   "src/checks.py": '# "Copyright (c) ...", "Copyright \u00a9 ...", "(c) 2020 ..." at a line start\n'
                                    'FIXTURE = "Copyright (c) 2021 Example Org\\n", "# SPDX-License-Identifier: MIT\\n"\n',
                   "package.json": json.dumps({"dependencies": {"stripe": "1"}}),
                   "node_modules/x/package.json": json.dumps({"name": "x", "license": "UNLICENSED"}),
               })))]
    for report in reports:
        for finding in report.findings:
            text = finding.explanation
            assert (text[0].isupper() or text[0].isdigit()) and text.endswith("."), text
            assert not _NOT_PROSE.search(text), text
    noisy = reports[1]
    assert noisy.finding("3").status.value == "not_found"  # a pattern's source and a string are no owner
    assert "proprietary services or SDKs and closed licences" in noisy.finding("4").explanation


def test_the_owner_named_is_the_roots_and_a_deeper_code_of_conduct_counts(tmp_path):
    report = screen(str(make_plain(tmp_path / "snip", {
        "LICENSE": OWN_LICENCE,
        "src/throttle.js": "/* Copyright (c) 2018 Jane Snippet (Throttle) */\n" * 3,
        "docs/developers/code_of_conduct.md": "# Code of conduct\n\nHarassment is not tolerated; mail coc@x.org.\n",
    })))
    ownership = report.finding("3")
    assert ownership.explanation == "The licence or notice names the copyright holder: Kids Learning Foundation."
    assert ownership.data["holders"] == ["Kids Learning Foundation", "Jane Snippet (Throttle)"]
    conduct = report.finding("9c")
    assert (conduct.code, conduct.data["files"]) == ("harm.code_of_conduct", ["docs/developers/code_of_conduct.md"])


def test_the_project_authors_are_a_holder_and_terms_pages_are_policies(tmp_path):
    report = screen(str(make_plain(tmp_path / "authors", {
        "src/index.ts": "/*\n * Copyright (C) The OpenCRVS Authors located at https://example.org/AUTHORS.\n */\n",
        "ios/App/TermsAndConditions.html": "<p>Held in accordance with our privacy policy.</p>\n"
                                           "<p>You agree not to use the service to harass other users.</p>\n",
    })))
    assert report.finding("3").data["holders"] == ["The OpenCRVS Authors"]
    assert statuses(report)["7"] == statuses(report)["9c"] == "likely_met"


def test_code_lines_are_not_holders():
    assert clean_holder('...", "Copyright \u00a9 ...", "Copyright 2020 ..."') is None
    assert clean_holder('2021 Example Org\\n", "# SPDX-License-Identifier: MIT\\n"') is None
    assert clean_holder("Facebook Technologies, LLC and its affiliates.") == "Facebook Technologies, LLC and its affiliates"
    assert clean_holder("the copyright holders") is None and clean_holder("The original author") is None
    assert clean_holder("2000-2006, The Perl Foundation.") is None  # the Artistic licence text's own line


# --- the notion itself ----------------------------------------------------------------------------------

def test_folder_origin_names_the_first_folder_that_decides():
    assert folder_origin("tests/fixtures/node_modules/x") == ("tests", "tests/")
    assert folder_origin("web/node_modules/left-pad") == ("vendored", "web/node_modules/")
    assert folder_origin("Assets/ThirdParty/Zip") == ("third_party", "Assets/ThirdParty/")
    assert folder_origin("docs/_build/html") == ("generated", "docs/_build/")
    assert folder_origin("bench") == ("benchmark", "bench/")
    assert folder_origin("src/testing_utils") == ("", "")
    assert folder_origin("") == ("", "")


def test_same_owner_compares_names_not_filler():
    assert same_owner(["The Clinic Records Authors"], ["Clinic Records contributors"])
    assert not same_owner(["Kids Learning Foundation"], ["Facebook Technologies, LLC and its affiliates"])
    assert not same_owner(["Example Foundation"], ["Other Foundation"])


def test_looks_generated():
    assert looks_generated("code", "// code generated by protoc-gen-go. do not edit.\npackage x\n")
    assert looks_generated("code", "var a=1;" * 200)
    assert not looks_generated("code", "# a normal module\nx = 1\n")
    assert not looks_generated("doc", "# readme\n\nthis page was automatically generated... by hand\n")
    assert not looks_generated("config", '{"openapi":"3.0.0",' + '"x":1,' * 300 + "}")


def test_sections_enclosing_a_position():
    text = "# Project\n\n## Security\n\n### Reporting\n\nmail us\n\n## Usage\n\nrun it\n"
    found = headings(text)
    assert enclosing_titles(found, text.index("mail")) == ["Project", "Reporting", "Security", "Project"]
    assert enclosing_titles(found, text.index("run it")) == ["Project", "Usage", "Project"]
    underlined = "Title\n=====\n\nText\n\nPart\n----\n\nmore\n"
    assert enclosing_titles(headings(underlined), underlined.index("more")) == ["Title", "Part", "Title"]
    assert headings("| a | b |\n|---|---|\n") == []
    front = "---\ntitle: Privacy Policy\nlayout: page\n---\n\nWe keep no logs.\n"
    assert enclosing_titles(headings(front), front.index("We")) == ["Privacy Policy", "Privacy Policy"]


def test_more_manifests_of_common_dpg_stacks(tmp_path):
    report = screen(str(make_plain(tmp_path / "m", {
        "Packages/manifest.json": json.dumps({"dependencies": {"com.unity.ugui": "1.0.0"}}),
        "manifest.json": json.dumps({"name": "A web app", "icons": []}),  # a web app manifest, not dependencies
        "packages.config": '<packages>\n  <package id="Newtonsoft.Json" version="13.0.1" />\n'
                           '  <package id="xunit" version="2.4" developmentDependency="true" />\n</packages>\n',
        "App/App.fsproj": '<Project><ItemGroup><PackageReference Include="FSharp.Data" /></ItemGroup></Project>',
        "environment.yml": "name: model\ndependencies:\n  - python=3.10\n  - numpy>=1.2\n  - conda-forge::pandas\n"
                           "  - pip\n  - pip:\n    - torch==2.0\n",
        "setup.cfg": "[options]\ninstall_requires =\n    requests>=2\n    click\n[options.extras_require]\n"
                     "test =\n    pytest\n",
        "ios/Podfile": "platform :ios, '13.0'\ntarget 'App' do\n  pod 'Alamofire', '~> 5.0'\n  pod 'Firebase/Analytics'\nend\n",
        "mix.exs": 'defmodule App.MixProject do\n  defp deps do\n    [\n      {:phoenix, "~> 1.7"},\n'
                   '      {:ex_doc, "~> 0.29", only: :dev}\n    ]\n  end\nend\n',
    })))
    deps = report.finding("4").data
    assert sorted(deps["manifests"]) == ["App/App.fsproj", "Packages/manifest.json", "environment.yml", "ios/Podfile",
                                         "mix.exs", "packages.config", "setup.cfg"]
    more = screen(str(make_plain(tmp_path / "more", {
        "gradle/libs.versions.toml": '[versions]\nroom = "2.6"\n[libraries]\n'
                                     'room = { module = "androidx.room:room-runtime", version.ref = "room" }\n'
                                     'maps = { group = "com.google.android.gms", name = "play-services-maps" }\n'
                                     'okhttp = "com.squareup.okhttp3:okhttp:4.12.0"\n',
        "Directory.Packages.props": '<Project><ItemGroup><PackageVersion Include="Serilog" Version="3" />'
                                    "</ItemGroup></Project>",
        "setup.py": "from setuptools import setup\nsetup(name='x', install_requires=['flask>=2', \"boto3\"],\n"
                    "      tests_require=['pytest'])\n",
    }))).finding("4").data
    assert (more["direct_dependencies"], more["dev_dependencies"]) == (6, 1)
    assert {f["dependency"] for f in more["flags"]} == {"com.google.android.gms:play-services-maps", "boto3"}
    assert deps["ecosystems"] == ["cocoapods", "conda", "hex", "nuget", "pypi", "unity"]
    # ugui, Newtonsoft.Json, FSharp.Data, numpy, pandas, torch, requests, click, Alamofire, Firebase, phoenix
    assert deps["direct_dependencies"] == 11 and deps["dev_dependencies"] == 3
    assert {f["dependency"] for f in deps["flags"]} == {"com.unity.ugui", "Firebase/Analytics"}
    assert is_manifest("Packages/manifest.json") and not is_manifest("manifest.json")
