"""review_ui"""
