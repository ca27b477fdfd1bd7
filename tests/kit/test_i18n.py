"""Messages made before a page knows its language: English where they are used as text, in the
reader's language where a page shows them."""

from __future__ import annotations

import json
import pickle
from collections.abc import Iterator

import pytest
from pydantic import BaseModel, Field, ValidationError, field_validator
from starlette.requests import Request
from starlette.responses import Response

from precx.catalog.snapshot import CatalogSnapshot
from precx.kit import i18n
from precx.kit.fields import country_name
from precx.kit.i18n import (
    Joined,
    Message,
    field_message,
    message_data,
    message_from_data,
    translate,
)
from precx.kit.problems import FileInputError, InvalidInput
from precx.web import templating


@pytest.fixture(autouse=True)
def _english_afterwards() -> Iterator[None]:
    yield
    i18n.set_locale(i18n.DEFAULT_LOCALE)


class _Form(BaseModel):
    code: str = Field(max_length=2)
    quantity: int = Field(ge=1)
    country: str

    @field_validator("country")
    @classmethod
    def _known(cls, value: str) -> str:
        raise ValueError(Message("%(field)s: %(message)s", field="country", message="is required"))


def _errors() -> dict[str, dict[str, object]]:
    with pytest.raises(ValidationError) as caught:
        _Form(code="abc", quantity=0, country="XX")
    return {str(e["loc"][0]): dict(e) for e in caught.value.errors()}


def test_a_message_is_its_english_text_wherever_it_is_used_as_text() -> None:
    message = Message("%(where)s%(label)s: %(message)s", where="a.csv:3", label="", message="x")
    assert message == "a.csv:3: x"
    assert str(message) is message  # str() keeps it translatable
    assert json.dumps({"detail": message}) == '{"detail": "a.csv:3: x"}'
    # Pickled as the worker and the caches pickle values; our own bytes, not untrusted ones.
    assert pickle.loads(pickle.dumps(message)).template == message.template  # noqa: S301


def test_a_page_in_russian_shows_the_message_and_its_values_in_russian() -> None:
    message = Message("%(field)s: %(message)s", field="quantity", message=Message("is required"))
    assert translate(message, "ru") == "quantity: обязательное поле"
    assert translate(message, "en") == "quantity: is required"
    i18n.set_locale("ru")
    assert i18n.gettext(message) == "quantity: обязательное поле"
    assert translate("plain text") == "plain text"


def test_a_message_the_catalog_lacks_stays_in_english() -> None:
    assert translate(Message("No catalog has this sentence, %(n)s.", n=3), "ru") == (
        "No catalog has this sentence, 3."
    )


def test_pydantic_checks_keep_their_english_and_read_in_russian() -> None:
    errors = _errors()
    too_long = field_message(errors["code"])
    assert too_long == "String should have at most 2 characters"
    assert translate(too_long, "ru") == "не длиннее 2 символов"
    too_small = field_message(errors["quantity"])
    assert translate(too_small, "ru") == "должно быть не меньше 1"


def test_a_check_that_raises_a_message_gives_that_message() -> None:
    own = field_message(_errors()["country"])
    assert own == "country: is required"  # without pydantic's "Value error, "
    assert isinstance(own, Message)


def test_domain_errors_keep_their_messages_for_pages_and_english_for_the_api() -> None:
    error = InvalidInput(Message("is required"), errors=[("quantity", Message("is required"))])
    assert isinstance(error.errors[0].message, Message)
    problem = error.to_problem("/api/v1/x").model_dump(mode="json")
    assert problem["detail"] == "is required"
    assert problem["errors"] == [{"field": "quantity", "message": "is required"}]


def test_a_file_error_names_file_line_and_field_in_the_page_language() -> None:
    error = FileInputError("orders.csv", 4, Message("is required"), column=2, field="unit")
    assert error.detail == "orders.csv:4:2 (unit): is required"
    assert translate(error.detail, "ru") == "orders.csv:4:2 (unit): обязательное поле"


def test_templates_show_messages_in_the_page_language_printed_or_passed_to_gettext() -> None:
    page = templating.env.from_string("{{ m }} | {{ _(m) }} | {{ _('Home') }}")
    message = Message("%(what)s is 100%% sure", what=Message("Home"))
    i18n.set_locale("ru")
    assert page.render(m=message) == "Главная is 100% sure | Главная is 100% sure | Главная"
    i18n.set_locale("en")
    assert page.render(m=message) == "Home is 100% sure | Home is 100% sure | Home"


def test_a_flashed_message_is_shown_in_the_language_of_the_next_page() -> None:
    response = Response()
    message = Message("%(field)s: %(message)s", field="note", message=Message("is required"))
    templating.flash(response, message, "error")
    cookie = response.headers["set-cookie"].split(";")[0].split("=", 1)[1]
    request = Request(
        {"type": "http", "headers": [(b"cookie", f"{templating.FLASH_COOKIE}={cookie}".encode())]}
    )
    flashed = templating._take_flash(request)
    assert flashed is not None and flashed["category"] == "error"
    assert flashed["message"] == "note: is required"
    assert translate(flashed["message"], "ru") == "note: обязательное поле"


def test_a_plain_flashed_message_comes_back_as_it_was() -> None:
    response = Response()
    templating.flash(response, "Saved.")
    cookie = response.headers["set-cookie"].split(";")[0].split("=", 1)[1]
    request = Request(
        {"type": "http", "headers": [(b"cookie", f"{templating.FLASH_COOKIE}={cookie}".encode())]}
    )
    assert templating._take_flash(request) == {"message": "Saved.", "category": "info"}


def test_a_country_name_is_english_as_text_and_local_on_a_page() -> None:
    kazakhstan = country_name("KZ")
    assert kazakhstan == "Kazakhstan" and json.dumps(kazakhstan) == '"Kazakhstan"'
    assert translate(kazakhstan, "ru") == "Казахстан"
    assert translate(kazakhstan, "en") == "Kazakhstan"
    assert country_name("ZZ") == "ZZ"  # no such country: the code itself


def test_a_message_keeps_its_country_names_through_storage() -> None:
    message = Message(
        "The goods go to %(destination)s, not to the customer's country %(country)s.",
        destination=country_name("KZ"),
        country=country_name("DE"),
    )
    stored = json.loads(json.dumps(message_data(message)))
    restored = message_from_data(stored)
    assert restored == "The goods go to Kazakhstan, not to the customer's country Germany."
    assert translate(restored, "ru") == (
        "Товар направляется в Казахстан, а не в страну клиента Германия."
    )


def test_template_values_read_in_the_page_language() -> None:
    page = templating.env.from_string("{{ country_name('DE') }} | {{ _('%(c)s', c=name) }}")
    i18n.set_locale("ru")
    assert page.render(name=country_name("PL")) == "Германия | Польша"


def test_joined_values_read_each_in_the_page_language_through_storage() -> None:
    route = Joined([country_name("BY"), country_name("RU")])
    message = Message("The route passes through %(names)s.", names=route)
    assert message == "The route passes through Belarus, Russian Federation."
    restored = message_from_data(json.loads(json.dumps(message_data(message))))
    assert translate(restored.values["names"], "ru") == "Беларусь, Россия"


def test_a_substance_name_reads_in_the_page_language_where_the_catalog_has_one() -> None:
    record = CatalogSnapshot.from_files().records["acetic-anhydride"]
    name = record.shown_name()
    assert name == "Acetic anhydride" and translate(name, "ru") == "Уксусный ангидрид"
    message = Message("No end use is declared for %(substance)s.", substance=name)
    restored = message_from_data(json.loads(json.dumps(message_data(message))))
    assert "Уксусный ангидрид" in translate(restored, "ru")
    page = templating.env.from_string("{{ name|substance(id) }}")
    i18n.set_locale("ru")
    assert page.render(name="Acetic anhydride", id="acetic-anhydride") == "Уксусный ангидрид"
    assert page.render(name="Something else", id="no-such-substance") == "Something else"
