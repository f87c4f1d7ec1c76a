"""The OpenAPI 3 description of the API, built from the table of lists (resources.RESOURCES)."""

from tracker.api.fields import Field
from tracker.api.params import DEFAULT_LIMIT, MAX_LIMIT
from tracker.api.resources import AS_OF, PROGRAMME, RESOURCES, YEAR, Resource

KIND_SCHEMAS = {
    "integer": {"type": "integer"},
    "kroner": {"type": "integer", "format": "int64"},
    "number": {"type": "number"},
    "string": {"type": "string"},
    "boolean": {"type": "boolean"},
    "date": {"type": "string", "format": "date"},
    "date-time": {"type": "string", "format": "date-time"},
    "quarter": {"type": "string", "pattern": "^[0-9]{4}-Q[1-4]$"},
}
PARAMETERS = {
    PROGRAMME: (
        "string",
        "The programme's id or name (see /programmes); default the programme the token's user works on in the "
        "web, else the only programme, else the newest open one (`is_default` in /programmes).",
    ),
    AS_OF: ("string", "The quarter the figures are as of, e.g. 2026-Q2; default the current one, never later."),
    YEAR: (
        "integer",
        "/measures: the year of the figures (default the first target year from now on); elsewhere only that year's rows.",
    ),
    "limit": ("integer", f"Rows per page, 1-{MAX_LIMIT}; JSON default {DEFAULT_LIMIT}, CSV default all."),
    "cursor": ("string", "Where the page starts; take it from `next`, do not build it."),
    "format": ("string", "json (default) or csv; the same as the .csv address."),
}
ERRORS = {
    "400": "A bad parameter, or a token in the address (never send it there).",
    "401": "No valid token: send `Authorization: Bearer <token>` or the token as the Basic password.",
    "403": "The token's user may not read this list.",
    "404": "No such programme.",
}


def _property(item: Field) -> dict:
    description = item.description + (" Whole kroner." if item.kind == "kroner" else "")
    return {**KIND_SCHEMAS[item.kind], "description": description, **({"nullable": True} if item.is_nullable else {})}


def _row_schema(resource: Resource) -> dict:
    return {
        "type": "object",
        "properties": {item.name: _property(item) for item in resource.fields},
        "required": [item.name for item in resource.fields],
        "additionalProperties": False,
    }


def _list_schema(resource: Resource) -> dict:
    return {
        "type": "object",
        "properties": {
            "items": {"type": "array", "items": {"$ref": f"#/components/schemas/{_schema_name(resource)}"}},
            "next": {"type": "string", "format": "uri", "nullable": True, "description": "The next page, or null."},
        },
        "required": ["items", "next"],
    }


def _schema_name(resource: Resource) -> str:
    return "".join(part.capitalize() for part in resource.name.split("-"))


def _parameters(resource: Resource, names: tuple[str, ...]) -> list[dict]:
    return [{"$ref": f"#/components/parameters/{name}"} for name in (*resource.parameters, *names)]


def _responses(resource: Resource, content: dict) -> dict:
    responses = {
        "200": {
            "description": resource.summary,
            "headers": {"ETag": {"schema": {"type": "string"}}},
            "content": content,
        },
        "304": {"description": "Not modified since the ETag given in If-None-Match."},
    }
    responses.update({code: {"description": text} for code, text in ERRORS.items()})
    return responses


def _operations(resource: Resource) -> dict:
    name = resource.name.replace("-", "_")
    csv = {"text/csv": {"schema": {"type": "string"}}}
    described = resource.summary + (" Admin only." if resource.is_admin_only else "")
    json_content = {"application/json": {"schema": _list_schema(resource)}, **csv}
    return {
        f"/{resource.name}": {
            "get": {
                "operationId": f"list_{name}",
                "summary": described,
                "parameters": _parameters(resource, ("limit", "cursor", "format")),
                "responses": _responses(resource, json_content),
            }
        },
        f"/{resource.name}.csv": {
            "get": {
                "operationId": f"list_{name}_csv",
                "summary": described + " As CSV for Excel (semicolons, UTF-8 with BOM).",
                "parameters": _parameters(resource, ("limit", "cursor")),
                "responses": _responses(resource, csv),
            }
        },
    }


def description(server_url: str) -> dict:
    """The whole OpenAPI 3.0 document; `server_url` is the API's root, e.g. https://host/api/v1."""
    paths: dict = {}
    for resource in RESOURCES:
        paths.update(_operations(resource))
    paths["/openapi.json"] = {
        "get": {
            "operationId": "openapi",
            "summary": "This description.",
            "security": [],
            "responses": {"200": {"description": "OpenAPI 3"}},
        }
    }
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "Tiltaksporteføljen: lesende API",
            "version": "1",
            "description": "Read-only lists for Power BI, Excel and scripts. Every list answers "
            '{"items": [...], "next": URL or null}; follow `next` until it is null. See docs/api.md.',
        },
        "servers": [{"url": server_url}],
        "security": [{"bearerAuth": []}, {"basicAuth": []}],
        "paths": paths,
        "components": {
            "securitySchemes": {
                "bearerAuth": {"type": "http", "scheme": "bearer", "description": "An API token from an admin."},
                "basicAuth": {
                    "type": "http",
                    "scheme": "basic",
                    "description": "Any user name, the API token as password.",
                },
            },
            "parameters": {
                name: {"name": name, "in": "query", "required": False, "description": text, "schema": {"type": kind}}
                for name, (kind, text) in PARAMETERS.items()
            },
            "schemas": {_schema_name(resource): _row_schema(resource) for resource in RESOURCES},
        },
    }
