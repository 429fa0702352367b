"""Every change to what governance keeps, one module per part: bodies (the governing body, appointments and
presentations), calendar (the reporting deadlines), action_plan and notices."""
