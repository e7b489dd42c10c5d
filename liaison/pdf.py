"""Letter PDFs in the GB/T 9704-2012 信函格式, rendered by WeasyPrint."""

from django.template.loader import render_to_string


def render_letter_html(letter) -> str:
    return render_to_string("liaison/pdf/letter.html", {"letter": letter})


def render_letter(letter) -> bytes:
    from weasyprint import HTML

    return HTML(string=render_letter_html(letter)).write_pdf()
