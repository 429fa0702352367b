"""The governance pages under /staff/insight/ (issue 17): who oversees complaints and what they received, the
reporting calendar, the action plan and notices. Pages inside insight, so they may use the web kit."""
