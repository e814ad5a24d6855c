const orders = [];

function listOrders() {
  return orders;
}

function createOrder(input) {
  if (!input || typeof input.item !== 'string' || !input.item) throw new Error('item is required');
  const quantity = Number(input.quantity ?? 1);
  if (!Number.isInteger(quantity) || quantity < 1) throw new Error('quantity must be a positive integer');
  const order = { id: orders.length + 1, item: input.item, quantity, createdAt: new Date().toISOString() };
  orders.push(order);
  return order;
}

module.exports = { listOrders, createOrder };
