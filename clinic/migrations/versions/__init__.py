"""The migrations, oldest first: 0001 the core tables, 0002 the plan, difficulty changes and injections."""
