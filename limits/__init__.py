"""What a request may cost: document limits, prices, and the budgets that pay for them."""
