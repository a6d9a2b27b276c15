"""Infrastructure: database engines, transactions, migrations, the statement driver."""
