"""Searching the worklist by part of a resident's name: the same answers on SQLite and PostgreSQL, where a
trigram index (people migration 0007) answers "contains" without reading every complaint."""

from __future__ import annotations

from datetime import date

import time_machine
from django.db import connection
from django.test import TestCase

from putright.complaints import actions, queries
from putright.people.models import Person
from tests.cast import log, make_cast

TODAY = date(2025, 6, 17)


@time_machine.travel(TODAY, tick=False)
class NameSearchTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast()
        cls.rosa = log(cls.cast, date(2025, 6, 16))
        ben = actions.ResidentDetails(name="Benedict O'Hara", email="ben@example.org")
        cls.ben = log(cls.cast, date(2025, 6, 16), resident=ben)

    def found(self, text: str) -> list[str]:
        search = queries.WorkSearch(text=text)
        return [c.reference for c in queries.staff_worklist(self.cast.officer, queries.WorklistFilter(), search)]

    def test_part_of_a_name_finds_the_complaint_whatever_its_case(self) -> None:
        assert self.found("osa res") == [self.rosa.reference]
        assert self.found("O'HAR") == [self.ben.reference]
        assert self.found("  bened ") == [self.ben.reference]
        assert self.found("Zebedee") == []

    def test_the_workspace_search_box_uses_it(self) -> None:
        self.client.force_login(self.cast.officer)
        page = self.client.get("/staff/team/", {"q": "edict"}).content.decode()
        assert self.ben.reference in page and self.rosa.reference not in page

    def test_on_postgresql_the_trigram_index_answers_the_search(self) -> None:
        if connection.vendor != "postgresql":
            self.skipTest("SQLite has no trigram index: the search reads the rows")
        with connection.cursor() as cursor:
            cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'people_person_name_trgm'")
            [(definition,)] = cursor.fetchall()
            assert "gin" in definition and "gin_trgm_ops" in definition and "upper" in definition.lower()
            # On a table this small the planner would read it whole; told not to, it shows whether the
            # index can answer the very SQL Django writes for the search (UPPER(name) LIKE UPPER('%...%')).
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("SET LOCAL enable_indexscan = off")
            sql, params = Person.objects.filter(name__icontains="edict").query.sql_with_params()
            cursor.execute("EXPLAIN " + sql, params)
            plan = "\n".join(row[0] for row in cursor.fetchall())
        assert "people_person_name_trgm" in plan, plan
