"""JSON in and out: the body parser (a 422, not ninja's bare 400, for bad JSON) and the
renderer."""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest
from ninja.parser import Parser
from ninja.renderers import JSONRenderer

from motverka.api.errors import MalformedBody


class JsonBodyParser(Parser):
    def parse_body(self, request: HttpRequest) -> Any:
        try:
            data = json.loads(request.body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as error:
            raise MalformedBody from error
        if not isinstance(data, dict):
            raise MalformedBody
        return data


class Utf8JsonRenderer(JSONRenderer):
    """JSON with Swedish letters as themselves (``"lördag"``, not ``"l\\u00f6rdag"``)."""

    json_dumps_params = {"ensure_ascii": False}
