/** token:create, token:list and token:revoke (§9): manage access tokens for people and API clients. */
import { ROLES, TokenLabelTaken, type Role } from '../src/access/tokens.js';
import { createCandor } from '../src/candor.js';
import { openDatabase } from '../src/db/client.js';
import { configOrExit, fail, parseCommandLine, requireExistingDatabase } from './cli.js';

const HELP = `
Manage Candor's access tokens. Only a hash of each token is stored: a token is shown once.

Usage:
  npm run --silent token:create -- --role <admin|staff|wg> --label <text>
      Creates a token and prints it, alone, on standard output.
  npm run token:list
      Lists labels, roles, creation dates and whether each token is revoked.
  npm run token:revoke -- <label>
      Revokes the token with this label; it is refused at once, signed-in pages included.

Options:
  --role <role>    admin, staff or wg (the Working Group)
  --label <text>   who or what the token is for, unique (e.g. "Amina, programme staff")
  -h, --help       show this help

Environment: DATABASE_PATH (default ./data/candor.db).
`;

const [command, ...rest] = process.argv.slice(2);
if (command === undefined || command === '--help' || command === '-h') {
  process.stdout.write(`${HELP.trim()}\n`);
  process.exit(command === undefined ? 2 : 0);
}
const { values, positionals } = parseCommandLine(HELP, { role: { type: 'string' }, label: { type: 'string' } }, rest);
if (!command || !['create', 'list', 'revoke'].includes(command)) fail(HELP.trim(), 2);

const config = configOrExit();
// token:create may make the very first database (the first admin token comes before the first start).
if (command !== 'create') requireExistingDatabase(config.databasePath);
const candor = createCandor(openDatabase(config.databasePath), config, { writerThread: false, jobThread: false });
const { tokens } = candor;
try {
  if (command === 'create') {
    const role = values.role as Role | undefined;
    const label = values.label?.trim();
    if (!role || !(ROLES as readonly string[]).includes(role)) fail(`--role must be one of ${ROLES.join(', ')}\n${HELP}`, 2);
    if (!label) fail(`--label is required\n${HELP}`, 2);
    process.stdout.write(`${tokens.create(role, label)}\n`);
  } else if (command === 'list') {
    const rows = tokens.list();
    if (rows.length === 0) process.stdout.write('No tokens yet. Create one with: npm run --silent token:create -- --role staff --label "…"\n');
    for (const t of rows) process.stdout.write(`${t.label}\t${t.role}\t${t.createdOn}${t.revoked ? '\trevoked' : ''}\n`);
  } else {
    const label = positionals[0] ?? values.label;
    if (!label) fail(`Which token? Give its label.\n${HELP}`, 2);
    if (!tokens.revoke(label)) fail(`No token is labelled "${label}". See npm run token:list.`);
    process.stdout.write(`Revoked "${label}".\n`);
  }
} catch (err) {
  if (err instanceof TokenLabelTaken) fail(err.message);
  throw err;
} finally {
  await candor.close();
}
