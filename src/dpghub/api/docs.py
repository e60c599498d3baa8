"""The API's docs page: HTML rendered on the server from the OpenAPI document.

The site's CSP allows scripts from 'self' only and the page should work without JavaScript, so
instead of Swagger UI this renders the operations, parameters and schemas as plain HTML.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from ninja import NinjaAPI
from ninja.openapi.docs import DocsBase

_REF_PREFIX = "#/components/schemas/"


def _type(schema: dict[str, Any]) -> str:
    """A short human reading of a JSON schema: ``string``, ``list of GoodSummary``, ``integer or null``."""
    if "$ref" in schema:
        return schema["$ref"].removeprefix(_REF_PREFIX)
    if "anyOf" in schema:
        return " or ".join(_type(part) for part in schema["anyOf"])
    if "allOf" in schema and len(schema["allOf"]) == 1:
        return _type(schema["allOf"][0])
    kind = schema.get("type", "any")
    if kind == "array":
        return f"list of {_type(schema.get('items', {}))}"
    if schema.get("format"):
        return f"{kind} ({schema['format']})"
    return str(kind)


def _constraints(schema: dict[str, Any]) -> str:
    parts = []
    target = schema.get("items", schema) if schema.get("type") == "array" else schema
    if "$ref" in target:
        return ""
    if "enum" in target:
        parts.append("one of: " + ", ".join(str(value) for value in target["enum"]))
    for key, word in (("minimum", "≥"), ("maximum", "≤"), ("minLength", "min length"), ("maxLength", "max length"),
                      ("pattern", "pattern")):
        if key in target:
            parts.append(f"{word} {target[key]}")
    if "default" in schema and schema["default"] not in ([], None, ""):
        parts.append(f"default {schema['default']}")
    return "; ".join(parts)


def _resolve(schema: dict[str, Any], components: dict[str, Any]) -> dict[str, Any]:
    seen = 0
    while "$ref" in schema and seen < 10:
        schema = components.get(schema["$ref"].removeprefix(_REF_PREFIX), {})
        seen += 1
    return schema


def _operations(document: dict[str, Any]) -> list[dict[str, Any]]:
    components = document.get("components", {}).get("schemas", {})
    out = []
    for path, methods in document.get("paths", {}).items():
        for method, op in methods.items():
            params = []
            for param in op.get("parameters", []):
                schema = _resolve(param.get("schema", {}), components)
                params.append({
                    "name": param["name"],
                    "where": param.get("in", ""),
                    "required": param.get("required", False),
                    "type": _type(schema),
                    "constraints": _constraints(schema),
                    "description": param.get("description") or schema.get("description", ""),
                    "repeatable": schema.get("type") == "array",
                })
            responses = []
            for status, response in op.get("responses", {}).items():
                content = response.get("content", {}).get("application/json", {})
                responses.append({
                    "status": status,
                    "description": response.get("description", ""),
                    "type": _type(content.get("schema", {})) if content else "",
                })
            out.append({
                "id": op.get("operationId", f"{method}-{path}"),
                "method": method.upper(),
                "path": path,
                "summary": op.get("summary", ""),
                "description": op.get("description", ""),
                "parameters": params,
                "responses": responses,
            })
    return out


def _schemas(document: dict[str, Any]) -> list[dict[str, Any]]:
    out = []
    for name, schema in sorted(document.get("components", {}).get("schemas", {}).items()):
        required = set(schema.get("required", []))
        out.append({
            "name": name,
            "description": schema.get("description", ""),
            "properties": [
                {"name": prop, "type": _type(spec), "required": prop in required,
                 "constraints": _constraints(spec), "description": spec.get("description", "")}
                for prop, spec in schema.get("properties", {}).items()
            ],
        })
    return out


class ServerRenderedDocs(DocsBase):
    def render_page(self, request: HttpRequest, api: NinjaAPI, **kwargs: Any) -> HttpResponse:
        document = api.get_openapi_schema(path_params=kwargs)
        context = {
            "info": document.get("info", {}),
            "openapi_url": self.get_openapi_url(api, kwargs),
            "operations": _operations(document),
            "schemas": _schemas(document),
            "nav": "api",  # the site's layout (web/base.html) marks "API" as the current page
        }
        return render(request, "api/docs.html", context)
