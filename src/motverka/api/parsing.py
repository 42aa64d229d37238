"""The request-body parser: JSON only, and a 422 (not ninja's bare 400) when it is not."""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest
from ninja.parser import Parser

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
