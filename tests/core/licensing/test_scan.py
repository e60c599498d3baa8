from __future__ import annotations

import textwrap
from importlib import resources
from pathlib import Path

import pytest

from dpghub.core.licensing import (
    LicenseEvidence,
    SourceNotice,
    classify_path,
    decode_text,
    is_license_path,
    is_third_party_notice,
    scan_file,
    scan_gnu_notice,
    scan_spdx_tags,
    summarize,
)


def exprs(evidence):
    return [(e.expression, e.kind, e.line, e.method) for e in evidence]


# --- SPDX tags -----------------------------------------------------------------------------

def test_spdx_tags_with_line_numbers():
    src = textwrap.dedent(
        """\
        #!/usr/bin/env python
        # SPDX-License-Identifier: MIT
        import os
        /* SPDX-License-Identifier: GPL-2.0-only WITH Linux-syscall-note */
        <!-- SPDX-License-Identifier: (MIT OR Apache-2.0) -->
        // spdx-license-identifier: apache-2.0
        x = 1
        """
    )
    ev = scan_spdx_tags("src/a.py", src)
    assert exprs(ev) == [
        ("MIT", "spdx-tag", 2, "tag"),
        ("GPL-2.0-only WITH Linux-syscall-note", "spdx-tag", 4, "tag"),
        ("MIT OR Apache-2.0", "spdx-tag", 5, "tag"),
        ("Apache-2.0", "spdx-tag", 6, "tag"),
    ]
    assert ev[0].path == "src/a.py"
    assert ev[0].detail == "src/a.py line 2: SPDX-License-Identifier: MIT"


def test_spdx_tag_bad_value_is_noassertion_with_location():
    ev = scan_spdx_tags("lib/x.c", "int x;\n// SPDX-License-Identifier: GPL\n")
    assert exprs(ev) == [("NOASSERTION", "spdx-tag", 2, "tag")]
    assert ev[0].detail.startswith("lib/x.c line 2: tag value is not a valid SPDX expression")


def test_spdx_tags_none_and_empty():
    assert scan_spdx_tags("a.py", "print('hello')\n") == []
    assert scan_spdx_tags("a.py", "") == []
    ev = scan_spdx_tags("a.py", "# SPDX-License-Identifier:\n")
    assert ev[0].expression == "NOASSERTION" and ev[0].confidence == 0.0


def test_scan_file_reports_tags_in_any_file():
    ev = scan_file("src/main.rs", "// SPDX-License-Identifier: Apache-2.0 OR MIT\nfn main() {}\n")
    assert exprs(ev) == [("Apache-2.0 OR MIT", "spdx-tag", 1, "tag")]


# --- paths ---------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("path", "role"),
    [
        ("LICENSE", "license-file"), ("LICENCE.md", "license-file"), ("license.txt", "license-file"),
        ("COPYING", "license-file"), ("COPYING.LESSER", "license-file"), ("UNLICENSE", "license-file"),
        ("LICENSE-MIT", "license-file"), ("MIT-LICENSE", "license-file"), ("LICENSE.rst", "license-file"),
        ("LICENSES/Apache-2.0.txt", "license-file"), ("sub/LICENSES/MIT.txt", "license-file"),
        ("docs/LICENSE.html", "license-file"), ("PATENTS", "license-file"), ("COPYRIGHT", "license-file"),
        ("package.json", "manifest"), ("pyproject.toml", "manifest"), ("setup.cfg", "manifest"),
        ("setup.py", "manifest"), ("Cargo.toml", "manifest"), ("composer.json", "manifest"),
        ("foo.gemspec", "manifest"), ("DESCRIPTION", "manifest"), ("pom.xml", "manifest"),
        ("My.Package.nuspec", "manifest"), ("bower.json", "manifest"),
        ("README", "readme"), ("README.md", "readme"), ("docs/readme.rst", "readme"),
        ("src/license.py", ""), ("src/licenses.go", ""), ("licensing.json", ""), ("main.c", ""),
        ("node_modules/x/LICENSE", ""), (".git/LICENSE", ""), ("description", ""), ("", ""),
    ],
)
def test_classify_path(path, role):
    assert classify_path(path) == role
    assert is_license_path(path) is (role != "")


# --- licence files -------------------------------------------------------------------------

def test_mit_with_other_holder_reflowed(body):
    text = body("mit").replace("[year]", "2021").replace("[fullname]", "Ministère de la Santé")
    reflowed = textwrap.fill(" ".join(text.split()), 47)
    ev = scan_file("LICENSE", reflowed)
    # line 1 holds the title and the (unmatched) copyright line; the licence text starts on line 2
    assert reflowed.split("\n")[1].startswith("Santé Permission is hereby")
    assert exprs(ev) == [("MIT", "license-file", 2, "exact")]
    assert ev[0].confidence == 1.0


def test_gpl3_without_how_to_apply(body):
    gpl = body("gpl-3.0")
    ev = scan_file("COPYING", gpl[: gpl.index("How to Apply These Terms")])
    assert exprs(ev) == [("GPL-3.0-only", "license-file", 2, "exact")]


def test_concatenated_licences_each_found_with_lines(body):
    mit = body("mit")
    text = "This software contains two parts.\n\n" + mit + "\n\n----\n\n" + body("apache-2.0")
    ev = scan_file("LICENSE", text)
    mit_line = text[: text.index("MIT License")].count("\n") + 1
    apache_line = text[: text.index("Apache License")].count("\n") + 1
    assert (mit_line, apache_line) == (4, 30)
    assert exprs(ev) == [("MIT", "license-file", mit_line, "exact"), ("Apache-2.0", "license-file", apache_line, "exact")]
    assert summarize(ev).root_expression == "Apache-2.0 AND MIT"


@pytest.mark.parametrize("statement", [
    "This software is dual-licensed.",
    "JSZip is dual licensed. At your choice you may use it under the MIT license *or* the Apache license.",
    "You may use this software under the terms of either:\n a) the MIT License, or\n b) the Apache License 2.0",
])
def test_dual_licence_statement_gives_or(body, statement):
    text = statement + "\n\n" + body("mit") + "\n\n----\n\n" + body("apache-2.0")
    ev = scan_file("LICENSE", text)
    assert [(e.expression, e.method) for e in ev] == [("MIT OR Apache-2.0", "dual")]
    assert summarize(ev).root_expression == "MIT OR Apache-2.0"


def test_licence_text_is_not_a_dual_statement(body):
    # the GPL's own "(at your option) any later version" is inside the licence text, not a choice between texts
    ev = scan_file("COPYING", body("gpl-3.0") + "\n\n" + body("mit"))
    assert sorted(e.expression for e in ev) == ["GPL-3.0-only", "MIT"]


def test_pointer_file_either_gives_or(body):
    ev = scan_file("LICENSE", "This software is made available under the terms of *either* of the licenses\n"
                              "found in LICENSE.APACHE or LICENSE.BSD. Contributions to this software is made\n"
                              "under the terms of *both* these licenses.\n")
    assert [(e.method, e.refers_to, e.operator) for e in ev] == [("pointer", ("LICENSE.APACHE", "LICENSE.BSD"), "OR")]
    ev += scan_file("LICENSE.APACHE", body("apache-2.0")) + scan_file("LICENSE.BSD", body("bsd-2-clause"))
    s = summarize(ev)
    assert s.root_expression == "Apache-2.0 OR BSD-2-Clause"
    assert s.conflicts == ()
    assert s.notes == ("LICENSE refers to LICENSE.APACHE, LICENSE.BSD: read as Apache-2.0 OR BSD-2-Clause",)
    assert s.expressions == ("Apache-2.0", "BSD-2-Clause")


SUMMARY_FILE = (
    "\nacme is copyright Acme Ltd and distributed under the BSD license (see\n"
    "docs/licenses/BSD.txt), with the following exceptions:\n\n"
    "The test runner, runtests.py, is GPL and copyright Someone Else. See docs/licenses/GPL.txt. Its\n"
    "unchanged inclusion to run the tests is believed to be mere aggregation, so the rest of the\n"
    "package is not affected. Some schema files are copyright the International Organization for\n"
    "Standardization; see the files themselves for their terms. Other resources are unlicensed and\n"
    "copyright their respective authors as noted in each file, which the reader should check before\n"
    "reusing them in another work, together with the notes in the documentation of this package.\n\n"
    "The stylesheets of the validation module were written by several people over many years and\n"
    "carry their own notices at the top of each file; where a notice is missing, ask the maintainers\n"
    "before copying the stylesheet into a project that is distributed under different terms.\n"
)


def test_summary_file_whose_first_paragraph_points_to_the_licence(body):
    ev = scan_file("LICENSES.txt", SUMMARY_FILE)
    assert [(e.method, e.refers_to, e.line, e.partial) for e in ev] == [("pointer", ("docs/licenses/BSD.txt",), 3, True)]
    assert "first paragraph" in ev[0].detail and "exceptions" in ev[0].detail
    ev += scan_file("LICENSE.txt", body("bsd-3-clause")) + scan_file("docs/licenses/BSD.txt", body("bsd-3-clause"))
    s = summarize(ev)
    assert s.root_expression == "BSD-3-Clause"
    assert s.notes == (("LICENSES.txt refers to docs/licenses/BSD.txt (its first paragraph; the rest of the file is "
                        "not a licence text: read it for exceptions): read as BSD-3-Clause"),)


def test_summary_file_without_a_pointer_in_its_first_paragraph_keeps_the_root_unasserted(body):
    # the file path is named only in a later paragraph: the file stays an unknown licence text
    text = SUMMARY_FILE.replace("(see\ndocs/licenses/BSD.txt)", "").replace("See docs/licenses/GPL.txt.", "")
    text += "\nThe BSD text is in docs/licenses/BSD.txt.\n"
    ev = scan_file("LICENSES.txt", text)
    assert [e.method for e in ev] == ["unknown"]
    ev += scan_file("LICENSE.txt", body("bsd-3-clause"))
    assert summarize(ev).root_expression == "NOASSERTION"


def test_a_licence_folder_in_a_url_is_not_a_pointer():
    ev = scan_file("LICENSE", "Licensed under the terms at https://opensource.org/licenses/LICENSE-2.0 only.\n")
    assert all(e.method != "pointer" for e in ev)


def test_pointer_to_missing_file_is_not_asserted():
    ev = scan_file("LICENSE", "See LICENSE-MIT and LICENSE-APACHE for the terms.\n")
    assert ev[0].method == "pointer"
    assert summarize(ev).root_expression == "NOASSERTION"


def test_gnu_text_with_own_later_notice(body):
    notice = ("Copyright (C) 2020 Foo\n\nThis program is free software: you can redistribute it and/or modify it under "
              "the terms of the GNU General Public License as published by the Free Software Foundation, either "
              "version 3 of the License, or (at your option) any later version.\n\n")
    ev = scan_file("COPYING", notice + body("gpl-3.0"))
    assert [e.expression for e in ev] == ["GPL-3.0-or-later"]


def test_bare_gnu_text_takes_or_later_from_the_manifest(body):
    ev = scan_file("COPYING", body("gpl-3.0"))
    ev += scan_file("pyproject.toml", '[project]\nname = "x"\nlicense = "GPL-3.0-or-later"\n')
    s = summarize(ev)
    assert s.root_expression == "GPL-3.0-or-later"
    assert s.conflicts == ()
    assert "does not say whether later versions apply" in s.notes[0]
    # an explicit "-only" anywhere keeps the text's reading
    ev += scan_file("src/a.py", "# SPDX-License-Identifier: GPL-3.0-only\n")
    assert summarize(ev).root_expression == "GPL-3.0-only"


def test_notices_and_copyright_files_do_not_veto_the_root(body):
    ev = scan_file("LICENSE", body("mit"))
    ev += scan_file("LICENSE-3RD-PARTY.txt", "Bundled: foo 1.0\n\n" + body("apache-2.0"))
    ev += scan_file("COPYRIGHT.TXT", "Copyright 2020 Foo.\n\nAll of this project's terms are the subject of a long "
                                     "custom notice that does not match any licence we know of, in several words. " * 3)
    s = summarize(ev)
    assert s.root_expression == "MIT"
    assert s.root_paths == ("LICENSE",)
    assert any("COPYRIGHT.TXT" in n for n in s.notes)


def test_unknown_primary_licence_file_still_vetoes(body):
    ev = scan_file("LICENSE", "You may use this only on Tuesdays, and the terms of this custom grant apply to all "
                              "copies and to every derived work that anybody makes of it in any form. " * 3)
    ev += scan_file("LICENSE-MIT", body("mit"))
    assert summarize(ev).root_expression == "NOASSERTION"


def test_unknown_text_in_reuse_folder_does_not_veto_the_top_level_licence(body):
    etalab = "Licence Ouverte version 2.0, conditions de réutilisation des informations publiques " * 12
    ev = scan_file("LICENSE.md", body("mit")) + scan_file("LICENSES/Etalab-2.0.md", etalab)
    s = summarize(ev)
    assert s.root_expression == "MIT"
    assert s.root_paths == ("LICENSE.md",)
    assert any("LICENSES/Etalab-2.0.md" in n for n in s.notes)
    # known licences of the folder are read with the top level (each part under one of them)
    ev += scan_file("LICENSES/Apache-2.0.txt", body("apache-2.0"))
    assert summarize(ev).root_expression == "Apache-2.0 AND MIT"
    # with no top-level licence file, an unknown text in the folder keeps the root from being asserted
    assert summarize(scan_file("LICENSES/Etalab-2.0.md", etalab)).root_expression == "NOASSERTION"


def test_crlf_file(body):
    ev = scan_file("LICENSE", body("bsd-3-clause").replace("\n", "\r\n"))
    assert exprs(ev) == [("BSD-3-Clause", "license-file", 2, "exact")]


def test_latin1_file(body):
    text = "Copyright (c) 2019 José Núñez ©\n\n" + body("mit").split("\n", 3)[3]
    raw = text.encode("latin-1")
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    ev = scan_file("LICENSE", decode_text(raw))
    assert [e.expression for e in ev] == ["MIT"]


def test_bad_bytes_and_bom(body):
    assert decode_text(b"\xef\xbb\xbfMIT") == "MIT"
    assert decode_text("MIT ©".encode("utf-16")) == "MIT ©"
    assert decode_text(b"caf\xe9 \x81\x8d") == "café \x81\x8d"  # cp1252 gaps fall back to Latin-1
    ev = scan_file("README.md", "# x\n\n## License\n\n" + body("mit") + "\n\xff\xfe garbage \x00")
    assert [e.expression for e in ev] == ["MIT"]


@pytest.mark.parametrize(
    ("change", "why"),
    [
        (("copies or substantial portions of the Software.",
          "copies or substantial portions of the Software.\n\nThe Software shall be used for Good, not Evil."),
         "'evil'"),
        (("in the Software without restriction", "in the Software for non-commercial purposes only"),
         "'commercial'"),
        (("and/or sell", "and/or (but not) sell"), "'not'"),
    ],
)
def test_modified_mit_is_not_mit(body, change, why):
    text = body("mit").replace(*change)
    ev = scan_file("LICENSE", text)
    assert [e.expression for e in ev] == ["NOASSERTION"]
    assert ev[0].method == "modified"
    assert "resembles MIT" in ev[0].detail and why in ev[0].detail


def test_apache_with_added_clause_is_not_apache(body):
    text = body("apache-2.0").replace(
        "5. Submission of Contributions.",
        "You may not use the Work for any military purpose whatsoever, nor allow others to do so on "
        "your behalf.\n\n5. Submission of Contributions.",
    )
    ev = scan_file("LICENSE", text)
    assert [(e.expression, e.method) for e in ev] == [("NOASSERTION", "modified")]
    assert "resembles Apache-2.0" in ev[0].detail


@pytest.mark.parametrize(
    ("key", "expected"),
    [("mit-0", "MIT-0"), ("isc", "ISC"), ("0bsd", "0BSD"), ("bsd-2-clause", "BSD-2-Clause"),
     ("bsd-4-clause", "BSD-4-Clause"), ("agpl-3.0", "AGPL-3.0-only"), ("lgpl-2.1", "LGPL-2.1-only"),
     ("epl-2.0", "EPL-2.0"), ("odbl-1.0", "ODbL-1.0"), ("cc-by-sa-4.0", "CC-BY-SA-4.0")],
)
def test_close_relatives_are_told_apart(body, key, expected):
    assert [e.expression for e in scan_file("LICENSE", body(key))] == [expected]


def test_unknown_and_empty_licence_files():
    ev = scan_file("LICENSE", "You may use this code if you send us a postcard.\n")
    assert [(e.expression, e.method) for e in ev] == [("NOASSERTION", "unknown")]
    assert ev[0].detail == "LICENSE: licence-like text that matches no known licence (11 words)"
    ev = scan_file("LICENSE.txt", "")
    assert [(e.expression, e.method, e.detail) for e in ev] == [("NOASSERTION", "empty", "LICENSE.txt: licence file is empty")]
    assert scan_file("COPYRIGHT", "Copyright (c) 2020 ACME Inc.\nAll rights reserved.\n") == []


def test_short_licence_files():
    assert exprs(scan_file("LICENSE", "Apache-2.0\n")) == [("Apache-2.0", "license-file", 1, "reference")]
    assert exprs(scan_file("LICENSE", "SPDX-License-Identifier: MPL-2.0\n")) == [("MPL-2.0", "spdx-tag", 1, "tag")]


# --- README --------------------------------------------------------------------------------

def test_readme_licence_section_reference():
    text = "# Foo\n\nText.\n\n## Licence\n\nReleased under the GNU Affero General Public License v3.0 or later.\n\n## Other\n\nBSD\n"
    assert exprs(scan_file("README.md", text)) == [("AGPL-3.0-or-later", "readme", 7, "reference")]


def test_readme_gnu_notice_rst():
    text = (
        "Foo\n===\n\nLicense\n-------\n\nThis program is free software: you can redistribute it and/or modify it "
        "under the terms of the GNU General Public License as published by\nthe Free Software Foundation, either "
        "version 3 of the License, or (at your option) any later version.\n"
    )
    assert [e.expression for e in scan_file("README.rst", text)] == ["GPL-3.0-or-later"]


def test_readme_gnu_notice_without_a_licence_heading():
    # the FSF's notice template is the project's own statement wherever the README puts it
    text = (
        "# Tokens\n[![License: AGPL v3](https://img.shields.io/badge/License-AGPL%20v3-blue.svg)](https://x)\n\n"
        "Copyright (C) 2023  A. Person\n\nThis program is free software: you can redistribute it and/or modify\n"
        "it under the terms of the GNU Affero General Public License as published by\nthe Free Software Foundation, "
        "either version 3 of the License, or\n(at your option) any later version.\n"
    )
    found = exprs(scan_file("README.md", text))
    assert ("AGPL-3.0-or-later", "readme", 6, "reference") in found
    assert ("AGPL-3.0-only", "readme", 2, "badge") in found
    # beside the bare text in LICENSE, the notice gives "or later" to the root
    raw = (Path(__file__).parents[3] / "src/dpghub/core/licensing/data/texts/agpl-3.0.txt").read_text()
    agpl = raw.split("\n---\n", 1)[1]
    ev = scan_file("LICENSE", agpl) + scan_file("README.md", text)
    assert summarize(ev).root_expression == "AGPL-3.0-or-later"


def test_readme_gnu_notice_under_another_heading_without_later():
    text = (
        "# Foo\n\n## Legal\n\nCopyright (c) 2014 - 2024 UNICEF\n\nThis library is free software; you can "
        "redistribute it and/or\nmodify it under the terms of the GNU Lesser General Public\nLicense as published "
        "by the Free Software Foundation; version 2.1\nof the License.\n"
    )
    assert exprs(scan_file("README.md", text)) == [("LGPL-2.1-only", "readme", 7, "reference")]


def test_readme_free_software_without_the_notice_is_no_evidence():
    text = "# Foo\n\nFoo is free software, and you can redistribute it to your friends.\n\nGNU tools are used.\n"
    assert scan_file("README.md", text) == []


def test_readme_badge():
    text = "# Foo\n[![License: MIT](https://img.shields.io/badge/License-MIT-yellow.svg)](https://x)\n\nHello\n"
    assert exprs(scan_file("README.md", text)) == [("MIT", "readme", 2, "badge")]


def test_readme_without_licence_section():
    assert scan_file("README.md", "# Foo\n\nA tool. MIT is a university.\n") == []


def test_scan_file_rejects_bytes_with_a_message():
    with pytest.raises(TypeError, match=r"scan_file\('LICENSE'\): text must be str, got bytes"):
        scan_file("LICENSE", b"MIT")  # type: ignore[arg-type]


def test_evidence_is_frozen():
    e = LicenseEvidence("MIT", "license-file", "LICENSE", 1, 1.0, "exact")
    with pytest.raises(AttributeError):
        e.expression = "X"  # type: ignore[misc]


@pytest.mark.parametrize("name", ["python-2.0", "psf-2.0", "cc-by-3.0", "cc-by-sa-3.0", "odc-by-1.0", "pddl-1.0",
                                  "afl-2.1"])
def test_added_reference_texts_match_themselves(name):
    raw = (Path(__file__).parents[3] / "src/dpghub/core/licensing/data/texts" / f"{name}.txt").read_text()
    spdx = raw.split("spdx-id: ", 1)[1].split("\n", 1)[0]
    body = raw.split("\n---\n", 1)[1]
    assert [(e.expression, e.method) for e in scan_file("LICENSE", body)] == [(spdx, "exact")]


MPL_NOTICE = ("This Source Code Form is subject to the terms of the Mozilla Public License, v. 2.0. If a copy of\n"
              "the MPL was not distributed with this file, You can obtain one at http://mozilla.org/MPL/2.0/.\n")


def test_mpl_exhibit_a_notice_is_a_reference():
    text = "This package contains a modified version of ca-bundle.crt, the bundle of CA certificates.\n\n" + MPL_NOTICE
    assert [(e.expression, e.method, e.line) for e in scan_file("LICENSE", text)] == [("MPL-2.0", "reference", 3)]


def test_notice_beside_a_full_text_is_kept(body):
    text = "Some files are MPL-2.0, the rest MIT.\n\n" + MPL_NOTICE + "\n\n" + body("mit")
    ev = scan_file("LICENCE", text)
    assert sorted(e.expression for e in ev) == ["MIT", "MPL-2.0"]
    assert summarize(ev).root_expression == "MIT AND MPL-2.0"


def test_a_url_is_not_a_pointer_to_a_licence_file():
    text = "Licensed under the terms of [GNU General Public License Version 2 or later](http://www.gnu.org/licenses/gpl.html).\n"
    assert [(e.expression, e.method) for e in scan_file("license.md", text)] == [("GPL-2.0-or-later", "reference")]


def test_a_classifier_does_not_say_only(body):
    ev = scan_file("LICENSE", body("gpl-2.0"))
    ev += scan_file("pyproject.toml", '[project]\nname = "x"\nlicense = {text = "GPL-2.0-or-later"}\nclassifiers = [\n'
                                      '  "License :: OSI Approved :: GNU General Public License v2 (GPLv2)",\n]\n')
    s = summarize(ev)
    assert s.root_expression == "GPL-2.0-or-later"
    assert s.conflicts == ()


def test_huge_third_party_notices_are_read_in_their_head(body):
    text = ("package foo 1.0\n\n" + body("mit") + "\n\n") * 2000  # about 2 MB
    ev = scan_file("LICENSE-3RD-PARTY.txt", text + "package bar\n\n" + body("apache-2.0"))
    found = {e.expression for e in ev}
    assert "MIT" in found and "Apache-2.0" not in found  # the Apache text beyond 16 KiB is not read
    assert is_third_party_notice("THIRD_PARTY_NOTICES.md") and not is_third_party_notice("LICENSE")


def test_gnu_notice_in_a_source_header_template():
    text = ("/**\n * Copyright (C) ${year} Example\n *\n * This program is free software: you can redistribute it and/or"
            " modify it under the terms of the GNU\n * Lesser General Public License as published by the Free Software"
            " Foundation, either version 3 of the\n * License, or (at your option) any later version.\n */\n")
    assert [(e.expression, e.line) for e in scan_file("LICENSE-header.txt", text)] == [("LGPL-3.0-or-later", 4)]


def test_bsd_clause_three_with_an_organisation_in_place_of_the_holder(body):
    text = body("bsd-3-clause").replace(
        "Neither the name of the copyright holder nor the names of its",
        "Neither the names of the Mozilla Foundation nor the names of project")
    assert "Mozilla Foundation" in text
    assert [(e.expression, e.method) for e in scan_file("LICENSE", text)] == [("BSD-3-Clause", "dice")]
    # a real change in the same place is still a change
    changed = text.replace("may be used to endorse", "may never be used, not even to endorse")
    assert [e.expression for e in scan_file("LICENSE", changed)] == ["NOASSERTION"]


def test_two_long_licences_with_a_shared_clause_and_a_choice_between_them(body):
    header = ("DOMPurify\n\nDOMPurify is free software; you can redistribute it and/or modify it under the\n"
              "terms of either:\n\na) the Apache License Version 2.0, or\nb) the Mozilla Public License Version 2.0\n\n"
              "-----\n\n")
    text = header + body("apache-2.0") + "\n\n-----\n\n" + body("mpl-2.0")
    ev = scan_file("LICENSE", text)
    assert [(e.expression, e.method) for e in ev] == [("Apache-2.0 OR MPL-2.0", "dual")]
    manifest = scan_file("package.json", '{"name": "x", "license": "(MPL-2.0 OR Apache-2.0)"}')
    s = summarize(ev + manifest)
    assert s.root_expression == "Apache-2.0 OR MPL-2.0"
    assert s.conflicts == ()


def test_a_deprecated_gnu_id_in_a_manifest_is_no_conflict_with_the_same_text(body):
    ev = scan_file("COPYING", body("gpl-2.0")) + scan_file("package.json", '{"name": "x", "license": "GPL-2.0"}')
    s = summarize(ev)
    assert s.root_expression == "GPL-2.0-only"
    assert s.conflicts == ()


def test_a_manifest_naming_one_alternative_agrees_with_a_dual_licence(body):
    ev = scan_file("LICENSE", "Dual licensed: you may use it under the MIT license or the Apache license.\n\n"
                              + body("mit") + "\n\n" + body("apache-2.0"))
    ev += scan_file("package.json", '{"name": "x", "license": "MIT"}')
    s = summarize(ev)
    assert s.root_expression == "MIT OR Apache-2.0"
    assert s.conflicts == ()


def test_mpl_notice_in_a_comment_block():
    text = ("/*\n * Copyright (C) The OpenCRVS Authors\n *\n * This Source Code Form is subject to the terms of the\n"
            " * Mozilla Public License, v. 2.0. If a copy of the MPL was not distributed with\n"
            " * this file, You can obtain one at https://mozilla.org/MPL/2.0/.\n */\n")
    assert [(e.expression, e.line) for e in scan_file("license-header.txt", text)] == [("MPL-2.0", 4)]


def _bundled(ref_id: str) -> str:
    """A reference text shipped with the matcher (for licences choosealicense.com does not carry)."""
    raw = resources.files("dpghub.core.licensing").joinpath("data", "texts", f"{ref_id}.txt").read_text("utf-8")
    return raw.split("\n---\n", 1)[1]


def test_licence_text_under_a_narrower_heading_is_not_the_projects(body):
    text = ("Terms\n=====\n\nThe software and its documentation are licensed under the Python licence.\n"
            "Code samples in the documentation are dual licensed under the Python licence and the "
            "Zero-Clause BSD licence.\n\n" + _bundled("python-2.0") +
            "\n\nZERO-CLAUSE BSD LICENSE FOR CODE SAMPLES IN THE DOCUMENTATION\n"
            "-------------------------------------------------------------\n\n" + body("0bsd"))
    ev = scan_file("LICENSE", text)
    assert [(e.expression, e.method, e.confidence > 0) for e in ev] == [("Python-2.0", "exact", True),
                                                                       ("0BSD", "scoped", False)]
    assert "CODE SAMPLES IN THE DOCUMENTATION" in ev[1].detail
    ev += scan_file("pyproject.toml", '[project]\nname = "x"\nlicense = "PSF-2.0"\n')
    s = summarize(ev)
    assert s.root_expression == "Python-2.0"
    assert s.conflicts == ()
    assert s.notes == ("pyproject.toml says PSF-2.0, the first part of the Python-2.0 licence in LICENSE",)


def test_heading_for_the_whole_project_does_not_narrow(body):
    ev = scan_file("LICENSE", "LICENSE FOR THE ACME PROJECT\n\n" + body("mit"))
    assert [(e.expression, e.method) for e in ev] == [("MIT", "exact")]


# --- GNU notices in source headers ------------------------------------------------------------

_C_HEADER = (
    "/***************************************************************************\n"
    " *                                                                         *\n"
    " *   This program is free software; you can redistribute it and/or modify  *\n"
    " *   it under the terms of the GNU General Public License as published by  *\n"
    " *   the Free Software Foundation; either version 2 of the License, or     *\n"
    " *   (at your option) any later version.                                   *\n"
    " *                                                                         *\n"
    " ***************************************************************************/\n"
    "#include <stdio.h>\n"
)
_PY_HEADER = (
    "# Copyright (C) 2003-2007  Robey Pointer\n#\n"
    "# Foo is free software; you can redistribute it and/or modify it under the\n"
    "# terms of the GNU Lesser General Public License as published by the Free\n"
    "# Software Foundation; either version 2.1 of the License, or (at your option)\n"
    "# any later version.\n\nimport os\n"
)
_ONLY_HEADER = (
    "/*\n * This program is free software; you can redistribute it and/or modify it under\n"
    " * the terms of the GNU General Public License version 2 as published by the Free Software Foundation.\n */\n"
)


def test_gnu_notice_in_a_boxed_c_header():
    assert scan_gnu_notice("src/theme.h", _C_HEADER) == SourceNotice("src/theme.h", 4, "GPL-2.0", True)


def test_gnu_notice_split_over_comment_lines():
    assert scan_gnu_notice("foo/proxy.py", _PY_HEADER) == SourceNotice("foo/proxy.py", 4, "LGPL-2.1", True)


def test_gnu_notice_without_later_versions():
    assert scan_gnu_notice("a.c", _ONLY_HEADER) == SourceNotice("a.c", 3, "GPL-2.0", False)


def test_no_gnu_notice():
    assert scan_gnu_notice("a.c", "/* Copyright (C) 2001 Free Software Foundation, Inc. */\nint x;\n") is None
    assert scan_gnu_notice("a.c", "/* MIT licensed */\n") is None
    # a GNU notice far below the header is not the file's licence header
    assert scan_gnu_notice("a.c", "x = 1\n" * 4000 + _C_HEADER) is None


def _gpl2_text():
    raw = (Path(__file__).parents[3] / "src/dpghub/core/licensing/data/texts/gpl-2.0.txt").read_text()
    return raw.split("\n---\n", 1)[1]


def _notices(base, later, plain=0):
    return ([SourceNotice(f"src/l{k}.c", 3, base, True) for k in range(later)]
            + [SourceNotice(f"src/p{k}.c", 3, base, False) for k in range(plain)])


def test_source_headers_give_or_later_to_a_bare_gnu_text():
    ev = scan_file("LICENSE", _gpl2_text())
    assert summarize(ev).root_expression == "GPL-2.0-only"
    summary = summarize(ev, source_notices=_notices("GPL-2.0", 3, 1))
    assert summary.root_expression == "GPL-2.0-or-later"
    assert summary.notes == ((
        "LICENSE holds the GPL-2.0 text, which does not say whether later versions apply; the headers of 3 of the "
        "4 source files with a notice of the GPL-2.0 say \"or (at your option) any later version\" (first: "
        "src/l0.c line 3)"
    ),)


def test_source_headers_that_disagree_or_name_another_licence_change_nothing():
    ev = scan_file("LICENSE", _gpl2_text())
    assert summarize(ev, source_notices=_notices("GPL-2.0", 2, 2)).root_expression == "GPL-2.0-only"  # no majority
    assert summarize(ev, source_notices=_notices("GPL-3.0", 5)).root_expression == "GPL-2.0-only"  # other version
    assert summarize(ev, source_notices=_notices("LGPL-2.1", 5)).root_expression == "GPL-2.0-only"  # other licence


def test_source_headers_must_be_in_enough_of_the_source_files():
    ev = scan_file("LICENSE", _gpl2_text())
    # two scripts of 114 source files: not the project's statement
    assert summarize(ev, source_notices=_notices("GPL-2.0", 2), source_files=114).root_expression == "GPL-2.0-only"
    # ten files are enough in any code base, and 10% of a small one
    assert summarize(ev, source_notices=_notices("GPL-2.0", 10), source_files=1358).root_expression == \
        "GPL-2.0-or-later"
    assert summarize(ev, source_notices=_notices("GPL-2.0", 2), source_files=13).root_expression == "GPL-2.0-or-later"


def test_a_literal_only_in_the_readme_outweighs_source_headers():
    readme = "# Foo\n\n## License\n\nFoo is licensed under the GPL-2.0-only.\n"
    ev = scan_file("LICENSE", _gpl2_text()) + scan_file("README.md", readme)
    assert summarize(ev, source_notices=_notices("GPL-2.0", 9)).root_expression == "GPL-2.0-only"
