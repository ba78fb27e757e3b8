"""The report's renderings: HTML (and PDF from it), Excel, CSV, text; :mod:`api.formats` is their front door."""
