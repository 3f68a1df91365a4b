"""``ledgerdesk eval``: the real reading and extraction pipeline run in-process over a labelled folder, scored
against its labels and timed per stage. No server and no database.

- ``corpora`` (with ``einvoice_keys`` and ``ofd_keys``): the labelled layouts (SROIE, Kleister NDA, e-invoices,
  OFD invoices, a customer's folder) read into ``Sample`` values.
- ``split``: the deterministic hold-out split.
- ``metrics``: pure scoring (field precision/recall/F1, accuracy, token recall, character error rate, medians).
- ``runner``: each sample through the pipeline, timed per stage.
- ``scoring``: a run's outcomes summed up into numbers.
- ``report``: plain-text tables, or one JSON object.
- ``measure``: from folder to summaries, for the command line.
"""
