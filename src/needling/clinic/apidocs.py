"""The API docs page (Swagger UI) served entirely by the app: no CDN, works offline, no inline script."""

from __future__ import annotations

from importlib.resources import files

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

router = APIRouter(include_in_schema=False)

#: Where the Swagger UI files shipped by the ``fastapi-offline`` package are mounted.
ASSETS = "/docs-assets"

PAGE = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>needling clinic API</title>
<link rel="stylesheet" href="{ASSETS}/swagger-ui.css"></head>
<body><div id="swagger-ui"></div>
<script src="{ASSETS}/swagger-ui-bundle.js"></script>
<script src="/static/swagger-init.js"></script></body></html>
"""


@router.get("/docs")
def docs() -> HTMLResponse:
    """Swagger UI for ``/openapi.json``."""
    return HTMLResponse(PAGE)


def assets_directory() -> str:
    """The folder of Swagger UI's JavaScript and CSS shipped by the ``fastapi-offline`` package."""
    return str(files("fastapi_offline") / "static")
