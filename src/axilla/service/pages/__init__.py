"""Server-rendered web pages: case form, results, patient view, print view (Jinja templates)."""
