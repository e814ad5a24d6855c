const http = require('node:http');
const { listOrders, createOrder } = require('./orders');

const port = Number(process.env.PORT || 8080);

function send(response, status, body) {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}

async function readJson(request) {
  let raw = '';
  for await (const chunk of request) raw += chunk;
  return raw ? JSON.parse(raw) : {};
}

const server = http.createServer(async (request, response) => {
  try {
    if (request.method === 'GET' && request.url === '/healthz') return send(response, 200, { status: 'ok' });
    if (request.method === 'GET' && request.url === '/orders') return send(response, 200, listOrders());
    if (request.method === 'POST' && request.url === '/orders') return send(response, 201, createOrder(await readJson(request)));
    return send(response, 404, { error: 'not found' });
  } catch (error) {
    return send(response, 400, { error: error.message });
  }
});

server.listen(port, () => console.log(`orders-api listening on ${port}`));

process.on('SIGTERM', () => server.close(() => process.exit(0)));
