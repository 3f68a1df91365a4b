"""Reading words from page images: the OCR engines behind one small interface, and what we do around them
(turning and straightening the page, splitting lines into words)."""
