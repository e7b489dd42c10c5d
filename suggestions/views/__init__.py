"""Pages of 司法建议/检察建议: lists, drafting, the detail with its actions, filings, statistics."""
