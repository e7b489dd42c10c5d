"""The API's JSON parser: a body nested too deeply answers 400, not a RecursionError (500).

DRF's JSONParser turns only ValueError into a parse error; Python's decoder raises
RecursionError on ~1,000 nested brackets (cleanly: the C decoder checks the depth as it
goes). That is a 400 here, and so is any decoded body nested deeper than MAX_DEPTH, so
nothing downstream walks a deep structure; no API body is anywhere near that deep.
"""

import codecs
import json

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

MAX_DEPTH = 32


def nesting_depth(value, limit: int) -> int:
    """Deepest nesting of lists and objects in a decoded value (iterative; stops past `limit`)."""
    deepest = 0
    stack = [(value, 1)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, dict):
            children = node.values()
        elif isinstance(node, list):
            children = node
        else:
            continue
        deepest = max(deepest, depth)
        if deepest > limit:
            return deepest
        stack.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
    return deepest


class BoundedJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        parser_context = parser_context or {}
        encoding = parser_context.get("encoding", settings.DEFAULT_CHARSET)
        try:
            text = codecs.getreader(encoding)(stream).read()
        except UnicodeDecodeError as exc:
            raise ParseError(_("JSON 解析错误：%(e)s") % {"e": exc}) from None
        too_deep = ParseError(_("JSON 嵌套层数过多（最多 %(n)d 层）。") % {"n": MAX_DEPTH})
        try:
            value = json.loads(text, parse_constant=self._refuse_constant)
        except RecursionError:
            raise too_deep from None
        except ValueError as exc:
            raise ParseError(_("JSON 解析错误：%(e)s") % {"e": exc}) from None
        if nesting_depth(value, MAX_DEPTH) > MAX_DEPTH:
            raise too_deep
        return value

    @staticmethod
    def _refuse_constant(name):
        # NaN and Infinity are not JSON.
        raise ValueError(f"{name} is not valid JSON")
