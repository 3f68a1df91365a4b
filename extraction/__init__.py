"""Reading documents: text, classification, fields, validation. Pure modules plus one service."""
