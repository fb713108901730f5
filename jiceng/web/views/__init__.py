"""Views of the staff web UI, one module per topic. Each view is thin: it finds what the user may see
(`visible_to`, via `orgs.services.get_visible`), calls services for changes and renders a template."""
