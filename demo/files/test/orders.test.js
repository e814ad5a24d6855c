const test = require('node:test');
const assert = require('node:assert/strict');
const { createOrder, listOrders } = require('../src/orders');

test('creates an order with a default quantity of 1', () => {
  const order = createOrder({ item: 'widget' });
  assert.equal(order.quantity, 1);
  assert.ok(listOrders().includes(order));
});

test('rejects an order without an item', () => {
  assert.throws(() => createOrder({}), /item is required/);
});
