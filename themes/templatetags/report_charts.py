"""The report's charts in templates: ``{{ chart|chart_src }}`` is an <img>'s src."""

from django import template

from themes.report.files import chart_src as _chart_src

register = template.Library()


@register.filter
def chart_src(chart) -> str:
    return _chart_src(chart)
