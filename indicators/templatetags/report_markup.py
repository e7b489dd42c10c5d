from django import template

from .. import markup

register = template.Library()


@register.filter
def report_markup(text):
    """A report section's restricted markup as safe HTML (see indicators.markup)."""
    return markup.render(text)
