"""JSON in and out: the body parser (a 422, not ninja's bare 400, for bad JSON) and the
renderer."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja.parser import Parser
from ninja.renderers import JSONRenderer

from motverka.api.errors import InvalidInput, MalformedBody
from motverka.integrity.guard import json_problems


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


class JsonBodyParser(Parser):
    """Strict JSON: no NaN or Infinity; decimals as Decimal, so that 1e400 is a number too
    large (a 422 at its field, see :func:`motverka.integrity.guard.json_problems`) rather
    than an infinite float."""

    def parse_body(self, request: HttpRequest) -> Any:
        try:
            data = json.loads(
                request.body.decode("utf-8"), parse_float=Decimal, parse_constant=_refuse_constant
            )
        except (UnicodeDecodeError, ValueError) as error:
            raise MalformedBody from error
        if not isinstance(data, dict):
            raise MalformedBody
        problems = list(json_problems(data))
        if problems:
            raise InvalidInput(problems)
        return data


class Utf8JsonRenderer(JSONRenderer):
    """JSON with Swedish letters as themselves (``"lördag"``, not ``"l\\u00f6rdag"``)."""

    json_dumps_params = {"ensure_ascii": False}
