"""The loader of the demo threads (forum/demo/content/threads/*.md): a file
that cannot be seeded is refused with its name and line, before anything is
written."""

from pathlib import Path

import pytest

from forum.demo.threads import DemoContentError, Reply, Thread, load_threads, parse_thread_file

GOOD = """---
title: "Salaire : combien en 2e année ?"
author: emma-l
tags: [salaire, bts]
days_ago: 12.5
---

J'ai 19 ans et ma fiche de paie n'a pas bougé.
Est-ce normal ?

=== answer ===
author: hugo-b
after_hours: 3
votes: 2
---

Une première réponse.

---

Avec une règle horizontale, qui n'est pas un en-tête.

=== answer ===
author: julien-c
after_hours: 5.5
votes: 7
accepted: true
---

La grille légale.
"""


def write(tmp_path: Path, text: str, name: str = "01-salaire.md") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_it_reads_the_question_its_answers_and_the_accepted_one(tmp_path):
    thread = parse_thread_file(write(tmp_path, GOOD))

    assert thread == Thread(
        author="emma-l",
        title="Salaire : combien en 2e année ?",
        tags=("salaire", "bts"),
        days_ago=12.5,
        body="J'ai 19 ans et ma fiche de paie n'a pas bougé.\nEst-ce normal ?",
        replies=(
            Reply(
                author="hugo-b",
                after_hours=3,
                votes=2,
                body="Une première réponse.\n\n---\n\nAvec une règle horizontale, qui n'est pas un en-tête.",
            ),
            Reply(author="julien-c", after_hours=5.5, votes=7, body="La grille légale."),
        ),
        accepted=1,
    )


def test_it_refuses_an_unknown_member_naming_the_file_and_line(tmp_path):
    path = write(tmp_path, GOOD.replace("author: julien-c", "author: julien-x"))

    with pytest.raises(DemoContentError, match=r"01-salaire\.md, line 24: 'julien-x' is not a demo member"):
        parse_thread_file(path)


def test_it_refuses_a_question_without_a_title(tmp_path):
    path = write(tmp_path, GOOD.replace('title: "Salaire : combien en 2e année ?"\n', ""))

    with pytest.raises(DemoContentError, match=r"01-salaire\.md, line 1: missing field\(s\): title"):
        parse_thread_file(path)


def test_it_refuses_an_unknown_field_rather_than_ignoring_it(tmp_path):
    path = write(tmp_path, GOOD.replace("votes: 2\n", "votes: 2\nvote: 3\n"))

    with pytest.raises(DemoContentError, match=r"line 11: unknown field\(s\): vote"):
        parse_thread_file(path)


def test_it_refuses_a_value_of_the_wrong_type(tmp_path):
    path = write(tmp_path, GOOD.replace("votes: 7", "votes: many"))

    with pytest.raises(DemoContentError, match=r"votes: 'many' is not of the expected type"):
        parse_thread_file(path)


def test_it_refuses_two_accepted_answers(tmp_path):
    path = write(tmp_path, GOOD.replace("votes: 2\n", "votes: 2\naccepted: true\n"))

    with pytest.raises(DemoContentError, match="only one answer can be accepted"):
        parse_thread_file(path)


def test_it_refuses_a_header_that_is_not_yaml_with_its_line(tmp_path):
    path = write(tmp_path, GOOD.replace("tags: [salaire, bts]", "tags: [salaire, bts"))

    with pytest.raises(DemoContentError, match=r"01-salaire\.md, line \d+: header is not valid YAML"):
        parse_thread_file(path)


def test_it_refuses_a_header_left_open(tmp_path):
    path = write(tmp_path, "---\ntitle: x\n")

    with pytest.raises(DemoContentError, match="line 2: header not closed"):
        parse_thread_file(path)


def test_it_reads_every_thread_file_of_a_folder_in_name_order(tmp_path):
    write(tmp_path, GOOD.replace("Salaire :", "Deuxième :"), name="02-deuxieme.md")
    write(tmp_path, GOOD, name="01-salaire.md")
    write(tmp_path, "Not a thread: the folder may hold notes.", name="README.md")

    threads = load_threads(tmp_path)

    assert [t.title for t in threads] == ["Salaire : combien en 2e année ?", "Deuxième : combien en 2e année ?"]
