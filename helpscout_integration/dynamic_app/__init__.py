"""Help Scout dynamic app: the product's view of a customer in Help Scout's sidebar."""
