"""Getting documents in: channels, sniffing and limits, duplicates, the first job."""
