"""Project-wide HTTP middleware."""

from django.utils.deprecation import MiddlewareMixin


def content_security_policy(*, frame_ancestors: str = "'none'") -> str:
    """Every script is a file served by the app, so no inline or remote
    script may run. Plotly and the admin set inline styles, hence
    'unsafe-inline' for styles. Pages refuse to be framed unless a view
    (the embed) names the ancestors that may frame it."""
    return "; ".join(
        [
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data:",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            f"frame-ancestors {frame_ancestors}",
        ]
    )


CONTENT_SECURITY_POLICY = content_security_policy()


class ContentSecurityPolicyMiddleware(MiddlewareMixin):
    def process_response(self, request, response):
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        return response
