"""OpenAPI 3.1 generation: the marshmallow schemas, with two conventions added.

- A schema whose Meta says ``always_present`` lists every field as required:
  the server always sends them, so generated clients should not type them
  as optional (but a field marked ``sometimes_present``, such as ``via``).
- A field built with ``Choice(component, ...)`` refers to one named enum
  component instead of repeating the values inline; its ``documented``
  metadata, when given, names the values the document lists (``format=csv``
  is read on a JSON operation for curl, but typed clients call the CSV one).
"""

from __future__ import annotations

from apispec.ext.marshmallow import MarshmallowPlugin
from apispec.ext.marshmallow.openapi import OpenAPIConverter
from flask_smorest import Api
from flask_smorest.utils import prepare_response

from api.web.problems import PROBLEM_JSON, handle_http_exception
from schemas.problems import ProblemSchema


class Converter(OpenAPIConverter):
    def schema2jsonschema(self, schema):
        jsonschema = super().schema2jsonschema(schema)
        if getattr(getattr(schema, "Meta", None), "always_present", False):
            instance = schema() if isinstance(schema, type) else schema
            sometimes = {
                f.data_key or name
                for name, f in instance.fields.items()
                if f.metadata.get("sometimes_present")
            }
            jsonschema["required"] = sorted(set(jsonschema["properties"]) - sometimes)
        return jsonschema

    def field2property(self, field):
        prop = super().field2property(field)
        component = field.metadata.get("enum_component")
        if not component:
            return prop
        values = field.metadata.get("documented") or [
            v for v in prop.get("enum", []) if v is not None
        ]
        if component not in self.spec.components.schemas:
            enum = {"type": "string", "enum": values}
            if any(not v[:1].isalpha() for v in values):
                # Member names for generated clients: "-date" -> DATE_DESC, not VALUE_1.
                enum["x-enum-varnames"] = [
                    f"{v[1:]}_desc" if v.startswith("-") else v for v in values
                ]
            self.spec.components.schema(component, enum)
        ref = {"$ref": f"#/components/schemas/{component}"}
        if field.allow_none:
            ref = {"anyOf": [ref, {"type": "null"}]}
        for key in ("description", "default"):
            if key in prop:
                ref[key] = prop[key]
        return ref


class Plugin(MarshmallowPlugin):
    Converter = Converter


class BriefsApi(Api):
    """flask-smorest's Api with RFC 9457 errors documented and served."""

    ERROR_SCHEMA = ProblemSchema

    def __init__(self, app=None, **kwargs):
        kwargs.setdefault("spec_kwargs", {})["marshmallow_plugin"] = Plugin()
        super().__init__(app, **kwargs)

    def _register_responses(self):
        import http

        for status in http.HTTPStatus:
            response = {"description": status.phrase}
            if status >= 400:
                response["schema"] = self.ERROR_SCHEMA
            prepare_response(response, self.spec, PROBLEM_JSON)
            self.spec.components.response(status.name, response, lazy=True)
        response = {"description": "Unexpected error", "schema": self.ERROR_SCHEMA}
        prepare_response(response, self.spec, PROBLEM_JSON)
        self.spec.components.response("DEFAULT_ERROR", response, lazy=True)

    def handle_http_exception(self, error):
        return handle_http_exception(error)
