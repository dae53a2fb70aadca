"""Importers of procedure records into the knowledge base.

- ``national``: the national public-service portal's catalogue (dichvucong.gov.vn, JSON lines);
  ``national_cells`` / ``national_documents`` read its run-together table cells.
- ``report``: what an import did (counts, unparsed fields by record, staff-edit conflicts).
- ``build_seed``: maintainer tool that regenerates knowledge/seed/procedures.yml.
"""
