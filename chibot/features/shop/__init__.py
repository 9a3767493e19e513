"""Items: the chi and rebirth shops, buying and selling, the inventory, using items, the chest."""
