"""Template helpers for the timeline pages."""

from django import template
from django.utils.html import json_script
from plotly.utils import PlotlyJSONEncoder

register = template.Library()


@register.filter
def plotly_json_script(figure, element_id):
    """A Plotly figure as a JSON <script> block, escaped like Django's json_script."""
    return json_script(figure.to_plotly_json(), element_id, encoder=PlotlyJSONEncoder)
