"""Ombudsman casework: a complaint in the Housing Ombudsman's hands, its evidence requests,
determinations, and the orders and recommendations the landlord must carry out (issue 16)."""
