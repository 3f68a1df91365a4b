"""ledgerdesk"""
