// Drives `helpscout-mailbox-api` (npm, a Node client nobody here wrote) against a running
// sandbox: list, next page, embed, an OR search, create, reply, note, PATCH, customer
// sub-resources, and teams with one team's members. Run by tests/contract/test_foreign_node_client.py, which reads the JSON
// this prints and checks the sandbox's state behind it.
//
// Usage: node drive.js <api base url ending in /v2/> <access token> <mailbox id> <customer id>
// Exits non-zero, naming the step, on the first call that fails or answers unexpectedly.
'use strict';

const HelpScout = require('helpscout-mailbox-api');

const [apiBase, token, mailboxId, customerId] = process.argv.slice(2);

function check (condition, message) {
  if (!condition) throw new Error(message);
}

async function step (name, action) {
  try {
    return await action();
  } catch (error) {
    const status = error.response ? ` (HTTP ${error.response.status}: ${JSON.stringify(error.response.data)})` : '';
    throw new Error(`step "${name}" failed: ${error.message}${status}`);
  }
}

async function main () {
  const helpscout = new HelpScout({
    clientId: 'foreign-node',
    clientSecret: 'foreign-secret',
    authenticationFlow: 'clientCredentials'
  });
  // The client's getTokens() always posts to api.helpscout.net (see docs/sandbox.md), so the
  // token comes from the test; baseURL is an ordinary axios option it lets us replace.
  helpscout.setCredentials({ access_token: token });
  helpscout.updateRequestOptions({ baseURL: apiBase });
  helpscout.updateBottleneckOptions({ minTime: 0 });
  const out = {};

  const first = await step('list', () => helpscout.conversations.list({ status: 'all' }));
  check(first.data._embedded.conversations.length > 0, 'list: no conversations');
  check(first.data.page.number === 1 && first.data.page.totalPages > 1, 'list: one page only');
  out.listed = first.data.page.totalElements;

  const second = await step('page', () => helpscout.nextPage(first.data._links));
  check(second.data.page.number === 2, 'page: not page 2');
  out.secondPageIds = second.data._embedded.conversations.map(c => c.id);

  const someId = first.data._embedded.conversations[0].id;
  const embedded = await step('embed', () =>
    helpscout.conversations.get(someId, { embed: 'threads' }));
  check(Array.isArray(embedded.data._embedded.threads), 'embed: no threads');
  out.embeddedThreads = embedded.data._embedded.threads.length;

  const created = await step('create', () => helpscout.conversations.create({
    subject: 'Node client: kettle',
    type: 'email',
    status: 'active',
    mailboxId: Number(mailboxId),
    customer: { id: Number(customerId) },
    threads: [{ type: 'customer', customer: { id: Number(customerId) }, text: 'Hello from Node' }]
  }));
  check(created.status === 201, 'create: not 201');
  out.conversationId = Number(created.headers['resource-id']);

  const found = await step('search with OR', () => helpscout.conversations.list({
    status: 'all',
    query: '(subject:"node client kettle" OR subject:"no such words anywhere")'
  }));
  out.searchIds = (found.data._embedded || { conversations: [] }).conversations.map(c => c.id);

  await step('reply', () => helpscout.conversations.threads.createReply(out.conversationId, {
    customer: { id: Number(customerId) }, text: 'A reply from Node', cc: ['copy@node.example']
  }));
  await step('note', () => helpscout.conversations.threads.createNote(out.conversationId, {
    text: 'A note from Node'
  }));
  await step('PATCH', () => helpscout.conversations.update(out.conversationId, {
    op: 'replace', path: '/subject', value: 'Node client: patched'
  }));
  const threads = await step('threads', () =>
    helpscout.conversations.threads.list(out.conversationId));
  out.threadTypes = threads.data._embedded.threads.map(t => t.type);

  const customers = helpscout.customers;
  const email = await step('customer email', () =>
    customers.emails.create(customerId, { value: 'node@foreign.example', type: 'work' }));
  out.emailId = Number(email.headers['resource-id']);
  await step('customer email update', () =>
    customers.emails.update(customerId, out.emailId, { value: 'node2@foreign.example', type: 'home' }));
  await step('customer phone', () =>
    customers.phones.create(customerId, { value: '+1 555 0101', type: 'mobile' }));
  await step('customer chat', () =>
    customers.chatHandles.create(customerId, { value: 'nodechat', type: 'skype' }));
  await step('customer social profile', () =>
    customers.socialProfiles.create(customerId, { value: 'https://twitter.com/node', type: 'twitter' }));
  const website = await step('customer website', () =>
    customers.websites.create(customerId, { value: 'https://node.example' }));
  await step('customer website delete', () =>
    customers.websites.delete(customerId, Number(website.headers['resource-id'])));
  await step('customer address', () =>
    customers.addresses.create(customerId, { city: 'Austin', lines: ['1 Node St'], country: 'US' }));
  const address = await step('customer address get', () => customers.addresses.get(customerId));
  out.addressCity = address.data.city;
  const phones = await step('customer phones list', () => customers.phones.list(customerId));
  out.phones = phones.data._embedded.phones.map(p => p.value);

  // Teams through the client's own methods: teams.list() and teams.teamMembers.list(id).
  const teams = await step('teams', () => helpscout.teams.list());
  check(Array.isArray(teams.data._embedded && teams.data._embedded.teams), 'teams: no _embedded.teams');
  out.teams = teams.data._embedded.teams.map(t => ({ id: t.id, name: t.name, mention: t.mention }));
  const firstTeam = out.teams[0];
  check(firstTeam !== undefined, 'teams: none listed');
  const members = await step('team members', () => helpscout.teams.teamMembers.list(firstTeam.id));
  check(Array.isArray(members.data._embedded && members.data._embedded.users),
    'team members: no _embedded.users');
  out.teamMembers = members.data._embedded.users.map(u => ({
    id: u.id, firstName: u.firstName, lastName: u.lastName, email: u.email, type: u.type
  }));

  process.stdout.write(JSON.stringify(out));
}

main().catch(error => {
  process.stderr.write(`${error.message}\n`);
  process.exit(1);
});
