"""The landlord's own names for the standard service areas (issue 17), on a staff page rather than only in
the operator's admin: the complaints officer and managers change them, the auditor reads them, handlers and
another landlord's staff cannot; the annual report shows them."""

from __future__ import annotations

from django.test import TestCase
from django.urls import reverse

from putright.complaints.errors import InvalidInput, NotPermitted
from putright.insight.service_areas import name_service_areas, names_of
from putright.landlords.models import ServiceAreaName
from tests.cast import make_cast
from tests.test_workspace_support import page, signed_in

URL = reverse("insight:service-areas")


class NamingTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast()

    def test_names_are_saved_and_an_empty_one_gives_back_the_standard_name(self) -> None:
        landlord, officer = self.cast.landlord, self.cast.officer
        name_service_areas(landlord, officer, {"estate": "Communal areas", "repairs": "Responsive repairs"})
        assert names_of(landlord) == {"estate": "Communal areas", "repairs": "Responsive repairs"}
        name_service_areas(landlord, officer, {"estate": "Communal areas", "repairs": ""})
        assert names_of(landlord) == {"estate": "Communal areas"}

    def test_two_areas_can_swap_names_in_one_save(self) -> None:
        landlord, officer = self.cast.landlord, self.cast.officer
        name_service_areas(landlord, officer, {"estate": "Communal areas", "repairs": "Repairs service"})
        name_service_areas(landlord, officer, {"estate": "Repairs service", "repairs": "Communal areas"})
        assert names_of(landlord) == {"estate": "Repairs service", "repairs": "Communal areas"}

    def test_a_name_used_twice_or_another_areas_standard_name_is_refused_and_nothing_changes(self) -> None:
        landlord, officer = self.cast.landlord, self.cast.officer
        name_service_areas(landlord, officer, {"estate": "Communal areas"})
        for names, area, words in [
            ({"estate": "Housing", "repairs": "housing"}, "estate", "already the name for"),
            ({"estate": "Damp and mould"}, "estate", "standard name of another service area"),
            ({"estate": "x" * 101}, "estate", "100 characters or fewer"),
            ({"boilers": "Heating"}, "areas", "no standard service area boilers"),
        ]:
            with self.assertRaises(InvalidInput) as refused:
                name_service_areas(landlord, officer, names)
            assert words in refused.exception.errors[area], refused.exception.errors
            assert names_of(landlord) == {"estate": "Communal areas"}

    def test_only_the_complaints_officer_and_managers_name_them(self) -> None:
        for user in (self.cast.handler, self.cast.auditor, self.cast.reviewer):
            with self.assertRaises(NotPermitted):
                name_service_areas(self.cast.landlord, user, {"estate": "Communal areas"})
        with self.assertRaises(NotPermitted):
            name_service_areas(self.cast.landlord, self.cast.stranger, {"estate": "Communal areas"})
        assert not ServiceAreaName.objects.exists()


class PageTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast()

    def test_the_officer_names_an_area_and_the_names_are_shown_as_text(self) -> None:
        client = signed_in(self.cast.officer)
        assert "Your names for the service areas" in page(client.get(URL))
        response = client.post(URL, {"estate": "Communal areas", "repairs": "<script>alert(1)</script>"})
        assert response.status_code == 302
        shown = page(client.get(URL))
        assert "Your names for the service areas are saved" in shown
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in shown and "<script>alert(1)" not in shown
        assert names_of(self.cast.landlord)["estate"] == "Communal areas"

    def test_a_refusal_is_shown_beside_the_field_with_the_text_kept(self) -> None:
        client = signed_in(self.cast.manager)
        response = client.post(URL, {"estate": "Housing", "repairs": "Housing"})
        shown = page(response)
        assert response.status_code == 200
        assert "Housing is already the name for" in shown and 'href="#id_estate"' in shown
        assert not ServiceAreaName.objects.exists()

    def test_the_auditor_reads_and_cannot_change_handlers_and_other_landlords_see_nothing_of_it(self) -> None:
        name_service_areas(self.cast.landlord, self.cast.officer, {"estate": "Communal areas"})
        auditor = signed_in(self.cast.auditor)
        shown = page(auditor.get(URL))
        assert "Communal areas" in shown and "Save the names" not in shown
        assert auditor.post(URL, {"estate": "Grounds"}).status_code == 403
        assert signed_in(self.cast.handler).get(URL).status_code == 403
        stranger = page(signed_in(self.cast.stranger).get(URL))
        assert "Communal areas" not in stranger
        assert names_of(self.cast.landlord) == {"estate": "Communal areas"}
